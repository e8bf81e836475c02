package dev.keyfailover.hardening;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;

/**
 * The upstream of the stress test: each key answers 200, 429 or 401 by a seeded schedule over the
 * fake clock, and the upstream itself checks that no key arrives while the proxy should still
 * hold it back (cooling after a 429, disabled after a 401), allowing {@code margin} for requests
 * already under way when the answer left.
 */
final class FlippingKeys {

    static final long COOLDOWN_MS = 1_500;

    private final MutableClock clock;
    private final long margin;
    private final long recheck;
    private final Map<String, long[]> phases = new ConcurrentHashMap<>();
    private final Map<String, long[]> heldBack = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    /**
     * @param margin fake milliseconds a request may still arrive with a key after the answer that held it back
     * @param recheck the pool's {@code authRecheck}, the least a disabled key is held back
     */
    FlippingKeys(List<String> keys, long seed, MutableClock clock, long margin, long recheck) {
        this.clock = clock;
        this.margin = margin;
        this.recheck = recheck;
        Random random = new Random(seed);
        for (String key : keys) {
            // Pairs of (phase end in fake ms since start, status), about 40 s of fake time each.
            List<Long> schedule = new ArrayList<>();
            long at = 0;
            while (at < 3_600_000) {
                at += 300 + random.nextInt(1_700);
                int roll = random.nextInt(100);
                schedule.add(at);
                schedule.add((long) (roll < 50 ? 200 : roll < 80 ? 429 : 401));
            }
            phases.put(key, schedule.stream().mapToLong(Long::longValue).toArray());
            heldBack.put(key, new long[] {0, 0, 0});
            counts.put(key, new AtomicLong());
        }
    }

    FakeUpstream.Dynamic behaviour() {
        long start = clock.millis();
        return FakeUpstream.dynamic(request -> answer(request.key(), clock.millis(), clock.millis() - start));
    }

    private FakeUpstream.Reply answer(String key, long now, long sinceStart) {
        long[] window = heldBack.get(key);
        if (window == null) {
            violations.add("unknown key " + key);
            return FakeUpstream.status(400);
        }
        counts.get(key).incrementAndGet();
        int status = statusAt(key, sinceStart);
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        synchronized (window) {
            boolean heldBackNow = now < window[1];
            if (now > window[0] && heldBackNow) {
                violations.add(KeyNames.shortName(key) + " arrived at " + now + ", held back by a " + window[2]
                        + " over (" + window[0] + ", " + window[1] + ")");
            }
            boolean disabled = heldBackNow && window[2] == 401;
            if (status == 429 && !disabled && now + COOLDOWN_MS > window[1]) {
                // A later 429 extends a cooldown; on a disabled key it is a request already under way.
                hold(window, now, now + COOLDOWN_MS, 429);
            } else if (status == 401 && !disabled) {
                // Only the 401 that disables the key starts its re-check wait; later ones were under way.
                hold(window, now, now + recheck, 401);
            }
        }
        return status == 200 ? FakeUpstream.ok("{\"ok\":true}")
                : status == 429 ? FakeUpstream.rateLimitedMillis(COOLDOWN_MS) : FakeUpstream.status(401);
    }

    private void hold(long[] window, long now, long until, long status) {
        window[0] = now + margin;
        window[1] = until;
        window[2] = status;
    }

    private int statusAt(String key, long sinceStart) {
        long[] schedule = phases.get(key);
        for (int i = 0; i < schedule.length; i += 2) {
            if (sinceStart < schedule[i]) {
                return (int) schedule[i + 1];
            }
        }
        return 200;
    }

    List<String> violations() {
        return violations;
    }

    long count(String key) {
        return counts.get(key).get();
    }

    long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long answered(int status) {
        AtomicLong count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    /** Key prefixes only, for messages. */
    static final class KeyNames {
        private KeyNames() {
        }

        static String shortName(String key) {
            return key.substring(0, Math.min(12, key.length()));
        }
    }
}
