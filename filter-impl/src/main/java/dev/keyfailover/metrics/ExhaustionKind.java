package dev.keyfailover.metrics;

import dev.keyfailover.api.KeyPoolExhaustion;

/** Why the pool could not serve a request, as the {@code kind} tag of {@link MeterNames#EXHAUSTIONS}. */
public enum ExhaustionKind {
    /** Every usable key cools for this request's model ({@link KeyPoolExhaustion.Kind#RATE_LIMITED}). */
    RATE_LIMITED("rate_limited"),
    /** Every key failed authentication ({@link KeyPoolExhaustion.Kind#AUTHENTICATION_FAILED}). */
    AUTH("auth"),
    /** Keys' accounts ran out of credit or quota ({@link KeyPoolExhaustion.Kind#QUOTA_EXHAUSTED}). */
    QUOTA("quota"),
    /** Keys refused this request for themselves: the last refusal went to the client. */
    FORBIDDEN("forbidden");

    private final String tag;

    ExhaustionKind(String tag) {
        this.tag = tag;
    }

    /** The tag value. */
    public String tag() {
        return tag;
    }

    static ExhaustionKind of(KeyPoolExhaustion.Kind kind) {
        return switch (kind) {
            case RATE_LIMITED -> RATE_LIMITED;
            case QUOTA_EXHAUSTED -> QUOTA;
            case AUTHENTICATION_FAILED -> AUTH;
        };
    }
}
