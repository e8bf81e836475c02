package dev.keyfailover.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The key pool of a provider has no key left to serve a request (behaviour.md §6): what kind of
 * exhaustion happened and, for {@link Kind#RATE_LIMITED}, how long the client should wait. Each
 * {@link Provider} turns it into an answer in its own API's format
 * ({@link Provider#exhaustedResponse}). An expected outcome, not an error of the proxy: a value,
 * never thrown. Its {@link #message()} never contains a key.
 *
 * @param providerName the provider whose pool ran dry, named in the message
 * @param kind why no key is left
 * @param retryAfter how long until a key may be usable again; zero when unknown or now (a negative
 *     wait is taken as zero)
 * @param detail what happened, more precisely than the kind says (e.g. keys disabled by an
 *     administrator, behaviour.md §6); {@code null} for the kind's own sentence. Never a key.
 */
public record KeyPoolExhaustion(String providerName, Kind kind, Duration retryAfter, String detail) {

    /** Why no key is left. */
    public enum Kind {
        /** Keys exist that will be usable again later; the request may succeed after {@link #retryAfter()}. */
        RATE_LIMITED(429, "all configured keys are rate-limited"),
        /** Every key failed authentication; waiting will not help. */
        AUTHENTICATION_FAILED(502, "all configured keys failed authentication"),
        /**
         * Every key is out of service and at least one because its account ran out of credit or
         * quota (behaviour.md §9); waiting will not help. The built-in formats answer as the
         * provider itself does for an empty balance (OpenAI 429 {@code insufficient_quota},
         * Anthropic 400 {@code invalid_request_error}), so that SDKs do not retry.
         */
        QUOTA_EXHAUSTED(429, "all configured keys have run out of credit or quota");

        private final int status;
        private final String message;

        Kind(int status, String message) {
            this.status = status;
            this.message = message;
        }

        /** The HTTP status a client receives for this kind (an error format may use its provider's own). */
        public int status() {
            return status;
        }

        /** A sentence saying what happened, without any key in it. */
        public String message() {
            return message;
        }
    }

    public KeyPoolExhaustion {
        Objects.requireNonNull(providerName, "providerName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryAfter, "retryAfter");
        retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
    }

    /** An exhaustion said in its kind's own sentence. */
    public KeyPoolExhaustion(String providerName, Kind kind, Duration retryAfter) {
        this(providerName, kind, retryAfter, null);
    }

    /** {@code "<provider>: <what happened>"}: the detail when there is one, else the kind's sentence. */
    public String message() {
        return providerName + ": " + (detail != null ? detail : kind.message());
    }

    /**
     * The {@code Retry-After} header value: whole seconds, rounded up; {@code null} when the wait is
     * zero, so that the header is omitted.
     */
    public String retryAfterHeaderValue() {
        if (retryAfter.isZero()) {
            return null;
        }
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Long.toString(seconds);
    }
}
