package dev.keyfailover.chain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.api.RateLimits;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyWalk;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * The failover decision of one route (behaviour.md §3 and §6), kept apart from the handler that
 * acts on it as HttpClient's retry handler keeps its strategy apart: given an attempt's answer,
 * what comes next: another key, a wait, or the final answer. The only place that classifies an
 * exhausted pool. Holds no per-request state (that is {@link PoolAttempts}).
 */
final class FailoverDecision {

    private final Provider provider;
    private final KeyPool pool;
    private final Clock clock;
    private final FailoverEvents events;

    FailoverDecision(Provider provider, KeyPool pool, Clock clock) {
        this(provider, pool, clock, FailoverEvents.NONE);
    }

    /** @param events told of attempts, transitions and exhaustions besides the log */
    FailoverDecision(Provider provider, KeyPool pool, Clock clock, FailoverEvents events) {
        this.provider = provider;
        this.pool = pool;
        this.clock = clock;
        this.events = FailoverEvents.both(new FailoverLog(provider.name()), events);
    }

    /** The first step of a walk. */
    FailoverStep first(PoolAttempts attempts) {
        return nextKey(attempts);
    }

    /**
     * Judges an attempt's answer, marks the key, and says what comes next. A failed attempt's
     * answer is released here (or kept, read into memory, when it explains a refusal).
     */
    FailoverStep followUp(PoolAttempts attempts, Key key, ClassicHttpResponse answer, String errorBody,
                          ExecRuntime runtime) {
        KeyWalk walk = attempts.walk();
        Instant now = clock.instant();
        KeyVerdict verdict = provider.judge(answer, errorBody, now);
        boolean probe = walk.isProbe(key);
        boolean transition = walk.record(key, answer.getCode(), verdict);
        events.attempt(key, answer.getCode(), verdict, transition, probe, attempts.upstreamNanos());
        if (walk.observe(key, RateLimits.read(answer, now))) {
            events.limitUsedUp(key, walk.model());
        }
        if (!verdict.failsOver()) {
            return new FailoverStep.Answer(answer, key);
        }
        if (verdict.action() == KeyVerdict.Action.SKIP) {
            ClassicHttpResponse refusal = FailedAttempts.detach(answer, runtime);
            attempts.refusal(refusal != null ? refusal : ProxyResponses.failure(provider, ProxyFailure.BAD_GATEWAY,
                    "upstream refused this request (" + answer.getCode() + ") with an answer too large to relay"));
        } else {
            FailedAttempts.release(answer, runtime);
        }
        return nextKey(attempts);
    }

    /** An attempt with this key failed in transport: counted for the key, which stays as it is. */
    void transportFailed(PoolAttempts attempts, Key key) {
        attempts.walk().recordTransportFailure(key);
        events.transportFailure(key, attempts.upstreamNanos());
    }

    private FailoverStep nextKey(PoolAttempts attempts) {
        Key key = attempts.walk().next();
        if (key != null) {
            return new FailoverStep.TryKey(key);
        }
        KeyPoolExhaustion exhaustion = classify(attempts.walk());
        if (exhaustion.kind() != KeyPoolExhaustion.Kind.RATE_LIMITED && attempts.refusal() != null) {
            // A key refused this request for itself: its answer explains more than "authentication failed".
            events.refusalRelayed(attempts.attempts());
            return new FailoverStep.Answer(attempts.refusal(), null);
        }
        Optional<Duration> wait = attempts.rounds() < pool.keys().size()
                ? waitForKey(exhaustion, attempts.waitDeadline())
                : Optional.empty();
        if (wait.isPresent()) {
            return new FailoverStep.Wait(wait.get());
        }
        events.exhausted(exhaustion, attempts.attempts());
        return new FailoverStep.Answer(ProxyResponses.exhausted(provider, exhaustion), null);
    }

    /**
     * Classifies a walk that ran dry, looking only at what blocks this request's model:
     * rate-limited with Retry-After 0 when a key this request did not try is usable now;
     * rate-limited until the soonest cooldown when any key cools for the model; rate-limited with
     * Retry-After 0 when a key tried earlier is usable again, unless a key refused this request
     * for itself; otherwise every key is out of service: out of quota when any key's account is,
     * else an authentication failure.
     */
    KeyPoolExhaustion classify(KeyWalk walk) {
        if (walk.untriedKeyUsable()) {
            return rateLimited(Duration.ZERO);
        }
        Optional<Duration> soonest = pool.soonestCooldownEnd(walk.model());
        if (soonest.isPresent()) {
            return rateLimited(soonest.get());
        }
        if (!walk.refusedForItself() && pool.anyKeyUsable(walk.model())) {
            // Tried earlier by this request, its cooldown has ended since: not an auth failure.
            return rateLimited(Duration.ZERO);
        }
        KeyPoolExhaustion.Kind kind = pool.anyKeyExhausted()
                ? KeyPoolExhaustion.Kind.QUOTA_EXHAUSTED
                : KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED;
        return new KeyPoolExhaustion(provider.name(), kind, Duration.ZERO);
    }

    /**
     * With {@code maxWaitForKey} set, how long to wait before walking again: the soonest cooldown,
     * when it ends before the request's wait deadline; empty when the request should not wait.
     */
    Optional<Duration> waitForKey(KeyPoolExhaustion exhaustion, Instant waitDeadline) {
        if (exhaustion.kind() != KeyPoolExhaustion.Kind.RATE_LIMITED || pool.settings().maxWaitForKey().isZero()) {
            return Optional.empty();
        }
        Duration wait = exhaustion.retryAfter();
        if (clock.instant().plus(wait).isAfter(waitDeadline)) {
            return Optional.empty();
        }
        return Optional.of(wait);
    }

    private KeyPoolExhaustion rateLimited(Duration retryAfter) {
        return new KeyPoolExhaustion(provider.name(), KeyPoolExhaustion.Kind.RATE_LIMITED, retryAfter);
    }
}
