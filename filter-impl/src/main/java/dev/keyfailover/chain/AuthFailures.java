package dev.keyfailover.chain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Failed credentials per client address (behaviour.md §13): after {@code limit} of them within a
 * minute, the address is refused for a minute. Each address's count is an immutable value swapped
 * atomically; the map is swept of what has expired when it grows past {@link #SWEEP_ABOVE}
 * addresses, so that many addresses cannot make it grow for ever. Time from the injected clock.
 */
final class AuthFailures {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int SWEEP_ABOVE = 10_000;

    private final int limit;
    private final Clock clock;
    private final ConcurrentMap<String, Count> counts = new ConcurrentHashMap<>();

    AuthFailures(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** How long the address is still refused; empty when it is not. */
    Optional<Duration> blocked(String address) {
        Count count = counts.get(address);
        Instant now = clock.instant();
        if (count == null || count.blockedUntil == null || !now.isBefore(count.blockedUntil)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, count.blockedUntil));
    }

    /** Counts one failed credential of the address. */
    void failed(String address) {
        Instant now = clock.instant();
        if (counts.size() > SWEEP_ABOVE) {
            counts.values().removeIf(count -> count.expired(now));
        }
        counts.compute(address, (key, count) -> {
            if (count == null || count.expired(now)) {
                return new Count(now, 1, limit <= 1 ? now.plus(WINDOW) : null);
            }
            int failures = count.failures + 1;
            return new Count(count.since, failures, failures >= limit ? now.plus(WINDOW) : count.blockedUntil);
        });
    }

    /** Failures since {@code since}; refused until {@code blockedUntil} when not {@code null}. */
    private record Count(Instant since, int failures, Instant blockedUntil) {
        boolean expired(Instant now) {
            boolean windowOver = !now.isBefore(since.plus(WINDOW));
            return windowOver && (blockedUntil == null || !now.isBefore(blockedUntil));
        }
    }
}
