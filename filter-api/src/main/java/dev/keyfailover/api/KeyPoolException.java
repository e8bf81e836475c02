package dev.keyfailover.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The key pool of a provider has no key left to serve a request.
 *
 * <p>This is the one error type of the key pool: it carries what kind of exhaustion happened and,
 * for {@link Kind#RATE_LIMITED}, how long the client should wait. Each {@link Provider} turns it
 * into an error response in its own API's format ({@link Provider#exhaustedResponse}). Its
 * message never contains a key.
 */
public final class KeyPoolException extends Exception {

    /** Why no key is left. */
    public enum Kind {
        /** Keys exist that will be usable again later; the request may succeed after {@link #retryAfter()}. */
        RATE_LIMITED(429, "all configured keys are rate-limited"),
        /** Every key failed authentication; waiting will not help. */
        AUTHENTICATION_FAILED(502, "all configured keys failed authentication");

        private final int status;
        private final String message;

        Kind(int status, String message) {
            this.status = status;
            this.message = message;
        }

        /** The HTTP status a client receives for this kind: 429 or 502. */
        public int status() {
            return status;
        }

        /** A sentence saying what happened, without any key in it. */
        public String message() {
            return message;
        }
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final Duration retryAfter;

    /**
     * @param providerName the provider whose pool ran dry, named in the message
     * @param kind why no key is left
     * @param retryAfter how long until a key may be usable again; zero when unknown or now
     */
    public KeyPoolException(String providerName, Kind kind, Duration retryAfter) {
        super(providerName + ": " + kind.message());
        this.kind = Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryAfter, "retryAfter");
        this.retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
    }

    /** Why no key is left. */
    public Kind kind() {
        return kind;
    }

    /** How long until a key may be usable again; {@link Duration#ZERO} for "now" or authentication failures. */
    public Duration retryAfter() {
        return retryAfter;
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

    @Override
    public synchronized Throwable fillInStackTrace() {
        // An expected outcome, built on the hot path of an exhausted pool: no stack trace needed.
        return this;
    }
}
