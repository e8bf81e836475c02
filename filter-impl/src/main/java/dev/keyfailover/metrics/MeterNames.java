package dev.keyfailover.metrics;

/**
 * The names and tag keys of the meters (behaviour.md §11). Prometheus renders dots as underscores, adds
 * {@code _total} to counters and {@code _seconds} to timers.
 */
public final class MeterNames {

    /**
     * Counter: client requests by how they ended; tags provider, outcome ({@link RequestOutcome}), client
     * (the name of the client token the request carried, behaviour.md §13, else {@code none}).
     */
    public static final String REQUESTS = "keyfailover.requests";
    /**
     * Counter: upstream attempts with a pool key; tags provider, key, outcome ({@link AttemptOutcome}: the
     * verdict on the answer, or {@code transient}, {@code transport}, {@code timeout}).
     */
    public static final String ATTEMPTS = "keyfailover.attempts";
    /** Counter: requests the pool could not serve; tags provider, kind ({@link ExhaustionKind}). */
    public static final String EXHAUSTIONS = "keyfailover.exhaustions";
    /** Counter: real key state changes; tags provider, key, to ({@link Transition}). */
    public static final String TRANSITIONS = "keyfailover.key.transitions";
    /** Gauge: keys in each state now; tags provider, state ({@code VALID}, {@code COOLING}, …). */
    public static final String KEYS = "keyfailover.keys";
    /** Timer: each attempt, request sent to response head received; tags provider, outcome ({@link AttemptOutcome}). */
    public static final String UPSTREAM_DURATION = "keyfailover.upstream.duration";
    /**
     * Counter: tokens the answers of pool keys used (behaviour.md §16); tags provider, key, model (bounded),
     * type ({@code input}, {@code output}, {@code cached_input}), client.
     */
    public static final String TOKENS = "keyfailover.tokens";
    /** Requests sent on to a fallback route (behaviour.md §18). */
    public static final String FALLBACKS = "keyfailover.fallbacks";

    static final String PROVIDER = "provider";
    static final String FROM = "from";
    static final String REASON = "reason";
    static final String KEY = "key";
    static final String OUTCOME = "outcome";
    static final String KIND = "kind";
    static final String TO = "to";
    static final String STATE = "state";
    static final String CLIENT = "client";
    static final String MODEL = "model";
    static final String TYPE = "type";
    /** The {@code client} tag of a request without a client token. */
    static final String NO_CLIENT = "none";

    private MeterNames() {
    }
}
