package dev.keyfailover.chain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.keyfailover.api.FailoverRules;
import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.Provider;
import org.apache.hc.core5.http.HttpResponse;

/**
 * The failover decision of one route (behaviour.md §3 and §6), kept apart from the handler that
 * acts on it as HttpClient keeps its {@code HttpRequestRetryStrategy} apart from the retry element:
 * a pure function of an attempt's answer head, its error body and the pool's state to what comes
 * next. It marks nothing, reads no body and releases nothing: {@link KeyFailoverExec} does the I/O.
 * The only place that classifies an exhausted pool and that knows {@code maxWaitForKey}.
 */
final class FailoverStrategy {

    /** What becomes of an attempt's answer. */
    enum AnswerUse {
        /** It goes to the client. */
        DELIVER,
        /** The key refused this request for itself: kept, to explain an exhaustion; the walk goes on. */
        KEEP_AS_REFUSAL,
        /** Released; the walk goes on. */
        DISCARD
    }

    private final Provider provider;
    private final Duration maxWaitForKey;

    /** @param maxWaitForKey how long a request may wait for a cooling key; zero: never */
    FailoverStrategy(Provider provider, Duration maxWaitForKey) {
        this.provider = provider;
        this.maxWaitForKey = maxWaitForKey;
    }

    /** Whether the answer is judged on the start of its body too (the handler reads it). */
    boolean readsErrorBody(HttpResponse head) {
        return FailoverRules.readsErrorBody(head.getCode());
    }

    /** What the answer means for its key: the provider's judgement. */
    KeyVerdict judge(HttpResponse head, String errorBody, Instant now) {
        return provider.judge(head, errorBody, now);
    }

    /** What becomes of an answer so judged. */
    static AnswerUse use(KeyVerdict verdict) {
        return switch (verdict.action()) {
            case ACCEPT -> AnswerUse.DELIVER;
            case SKIP -> AnswerUse.KEEP_AS_REFUSAL;
            case COOL_DOWN, DISABLE, EXHAUST -> AnswerUse.DISCARD;
        };
    }

    /**
     * The step when no key is left to try: relay a key's refusal when the pool is out of service
     * for good (a rate limit passes, so it is said instead); wait when {@code maxWaitForKey} allows
     * it and rounds remain; else answer with the exhaustion.
     *
     * @param rounds walks after the first so far
     * @param startedAt when the request began walking the pool
     * @param deadline when the request's budget runs out, if it has one: no wait reaches it
     * @param refusalKept whether a key's refusal of this request was kept
     */
    FailoverStep whenNoKeyLeft(PoolView pool, int rounds, Instant startedAt, Optional<Instant> deadline,
                               boolean refusalKept, Instant now) {
        KeyPoolExhaustion exhaustion = classify(pool);
        if (exhaustion.kind() != KeyPoolExhaustion.Kind.RATE_LIMITED && refusalKept) {
            return FailoverStep.relayRefusal(exhaustion);
        }
        return waitForKey(exhaustion, rounds < pool.keyCount(), startedAt, deadline, now)
                .map(wait -> FailoverStep.waitFor(wait, exhaustion))
                .orElseGet(() -> FailoverStep.answer(exhaustion));
    }

    /**
     * Classifies a walk that ran dry, looking only at what blocks this request's model:
     * rate-limited with Retry-After 0 when a key this request did not try is usable now;
     * rate-limited until the soonest cooldown when any key cools for the model; rate-limited with
     * Retry-After 0 when a key tried earlier is usable again, unless a key refused this request
     * for itself; otherwise every key is out of service: out of quota when any key's account is,
     * else an authentication failure, which names the keys an administrator disabled.
     */
    KeyPoolExhaustion classify(PoolView pool) {
        if (pool.untriedKeyUsable()) {
            return rateLimited(Duration.ZERO);
        }
        Optional<Duration> soonest = pool.soonestCooldownEnd();
        if (soonest.isPresent()) {
            return rateLimited(soonest.get());
        }
        if (!pool.refusedForItself() && pool.anyKeyUsable()) {
            // Tried earlier by this request, its cooldown has ended since: not an auth failure.
            return rateLimited(Duration.ZERO);
        }
        if (pool.anyKeyExhausted()) {
            return new KeyPoolExhaustion(provider.name(), KeyPoolExhaustion.Kind.QUOTA_EXHAUSTED, Duration.ZERO);
        }
        return new KeyPoolExhaustion(provider.name(), KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED, Duration.ZERO,
                disabledDetail(pool));
    }

    /**
     * Every key is disabled: when an administrator disabled some, the message says how many, so
     * that nobody hunts for revoked keys (behaviour.md §6); {@code null} when all failed authentication.
     */
    private static String disabledDetail(PoolView pool) {
        int byAdministrator = pool.adminDisabledCount();
        if (byAdministrator == 0) {
            return null;
        }
        int failed = pool.keyCount() - byAdministrator;
        return "every key is disabled: " + byAdministrator + " by an administrator"
                + (failed > 0 ? ", " + failed + " failed authentication" : "");
    }

    /**
     * How long to wait before walking again: the exhaustion's own wait, when it is a rate limit
     * that ends within the request's {@code maxWaitForKey} and before its budget runs out; empty when
     * the request should not wait.
     */
    Optional<Duration> waitForKey(KeyPoolExhaustion exhaustion, boolean roundsLeft, Instant startedAt,
                                  Optional<Instant> deadline, Instant now) {
        if (exhaustion.kind() != KeyPoolExhaustion.Kind.RATE_LIMITED || maxWaitForKey.isZero() || !roundsLeft) {
            return Optional.empty();
        }
        Duration wait = exhaustion.retryAfter();
        Instant end = now.plus(wait);
        if (end.isAfter(startedAt.plus(maxWaitForKey)) || deadline.isPresent() && !end.isBefore(deadline.get())) {
            return Optional.empty();
        }
        return Optional.of(wait);
    }

    private KeyPoolExhaustion rateLimited(Duration retryAfter) {
        return new KeyPoolExhaustion(provider.name(), KeyPoolExhaustion.Kind.RATE_LIMITED, retryAfter);
    }
}
