package dev.keyfailover.metrics;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.chain.AttemptReport;
import dev.keyfailover.chain.TransportFailure;

/**
 * What one upstream attempt came to, as the {@code outcome} tag of {@link MeterNames#ATTEMPTS}
 * and {@link MeterNames#UPSTREAM_DURATION}: the failover's verdict on a pool key's answer, so a
 * configured rule counts as what it does (a 403 under {@code on403=disable} is
 * {@link #UNAUTHORIZED}, a 429 {@code insufficient_quota} is {@link #QUOTA}).
 */
public enum AttemptOutcome {
    /** Accepted, status below 400. */
    OK("ok"),
    /** The key cools down (429, or a {@code failoverOn} cooldown status). */
    RATE_LIMITED("rate_limited"),
    /** The key failed authentication and is disabled (401; 403 under {@code on403=disable}). */
    UNAUTHORIZED("unauthorized"),
    /** The key refused this request for itself, the request goes on (403 {@code skip}, {@code failoverOn} skip). */
    FORBIDDEN("forbidden"),
    /** The key's account is out of credit or quota (402, 429 {@code insufficient_quota}, …). */
    QUOTA("quota"),
    /** Accepted with a status of 400 or more that is not transient: the answer goes to the client as it is (400, 404, …). */
    PASSED("passed"),
    /** A transient status of a pool key's answer ({@code transientStatuses}, behaviour.md §18): retried, or passed on. */
    TRANSIENT("transient"),
    /** No answer: connect or send failed, reset, or the answer ended before its head (not a timeout). */
    TRANSPORT("transport"),
    /** No answer in time: a connect, read or connection-pool timeout. */
    TIMEOUT("timeout");

    private final String tag;

    AttemptOutcome(String tag) {
        this.tag = tag;
    }

    /** The tag value. */
    public String tag() {
        return tag;
    }

    /** What an attempt came to: its transport failure's kind, else transient, else its verdict when judged, else its status. */
    public static AttemptOutcome of(AttemptReport attempt) {
        if (attempt.transportFailed()) {
            return attempt.failure() == null ? TRANSPORT : of(attempt.failure());
        }
        if (attempt.transientStatus()) {
            return TRANSIENT;
        }
        return attempt.verdict() == null ? direct(attempt.status()) : of(attempt.status(), attempt.verdict().action());
    }

    /** The outcome of an attempt that got no answer. */
    public static AttemptOutcome of(TransportFailure failure) {
        return switch (failure) {
            case TIMEOUT -> TIMEOUT;
            case TRANSIENT, OTHER -> TRANSPORT;
        };
    }

    /** The outcome of a pool key's answer judged so. */
    public static AttemptOutcome of(int status, KeyVerdict.Action action) {
        return switch (action) {
            case COOL_DOWN -> RATE_LIMITED;
            case DISABLE -> UNAUTHORIZED;
            case SKIP -> FORBIDDEN;
            case EXHAUST -> QUOTA;
            case ACCEPT -> direct(status);
        };
    }

    /** The outcome of an attempt nothing judges (BYOK, no pool); status {@code -1} for a transport failure. */
    public static AttemptOutcome direct(int status) {
        if (status < 0) {
            return TRANSPORT;
        }
        return status < 400 ? OK : PASSED;
    }
}
