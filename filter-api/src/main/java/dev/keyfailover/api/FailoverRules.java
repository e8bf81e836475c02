package dev.keyfailover.api;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.apache.hc.core5.http.HttpResponse;

/**
 * The shared judgement of an upstream answer for its key (behaviour.md §3), so that providers do
 * not each re-implement it.
 *
 * <ul>
 *   <li>429: the key cools down for the advised wait ({@link RetryHints}), else
 *       {@link KeyVerdict#DEFAULT_COOLDOWN};</li>
 *   <li>401: the key is disabled;</li>
 *   <li>403: as {@link On403} says (default {@link On403#SKIP});</li>
 *   <li>statuses added with {@link Builder#failoverOn}: cool down (as 429) or skip (as 403);</li>
 *   <li>402: the account is out of credit ({@link KeyVerdict#EXHAUST}), unless {@code failoverOn}
 *       names it; with the error body read, more: see {@link #refine};</li>
 *   <li>anything else: accepted, the answer goes to the client.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class FailoverRules {

    /** What a 403 answer means. */
    public enum On403 {
        /** The key is skipped for this request only; a 403 usually refuses one model, not the key. */
        SKIP,
        /** The key is disabled, as for 401. */
        DISABLE,
        /** No failover: the client gets the 403. */
        PASS
    }

    private static final FailoverRules DEFAULTS = builder().build();

    private final On403 on403;
    private final FailoverOnStatuses extraStatuses;

    private FailoverRules(Builder builder) {
        this.on403 = builder.on403;
        this.extraStatuses = new FailoverOnStatuses(builder.extraStatuses);
    }

    /** The rules of behaviour.md §3 with every setting at its default. */
    public static FailoverRules defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Judges an upstream answer.
     *
     * @param response the answer (only status and headers are read)
     * @param now the current time, for an HTTP-date {@code Retry-After}
     */
    public KeyVerdict judge(HttpResponse response, Instant now) {
        int status = response.getCode();
        if (status == 429) {
            return coolDown(response, now);
        }
        if (status == 401) {
            return KeyVerdict.DISABLE;
        }
        if (status == 403) {
            return switch (on403) {
                case SKIP -> KeyVerdict.SKIP;
                case DISABLE -> KeyVerdict.DISABLE;
                case PASS -> KeyVerdict.ACCEPT;
            };
        }
        KeyVerdict.Action extra = extraStatuses.actionFor(status);
        if (extra == KeyVerdict.Action.COOL_DOWN) {
            return coolDown(response, now);
        }
        if (extra == KeyVerdict.Action.SKIP) {
            return KeyVerdict.SKIP;
        }
        if (status == 402) {
            return KeyVerdict.EXHAUST;
        }
        return KeyVerdict.ACCEPT;
    }

    /**
     * Whether an answer with this status is judged on its error body too ({@link #refine}): 429
     * and 400, whose bodies tell an empty balance or a request too large from a rate limit or a
     * plain bad request. The engine reads at most the first 64 KiB, from a copy it keeps.
     */
    public static boolean readsErrorBody(int status) {
        return status == 429 || status == 400;
    }

    /**
     * Judges an answer by status, headers and the start of its error body (behaviour.md §9):
     * {@link #refine} applied to {@link #judge(HttpResponse, Instant)}.
     *
     * @param errorBody the first 64 KiB of the body as text, or {@code null} when not read
     */
    public KeyVerdict judge(HttpResponse response, String errorBody, Instant now) {
        return refine(judge(response, now), response.getCode(), errorBody);
    }

    /**
     * Sharpens a verdict with what the error body says: a 429 whose error type or code is
     * {@code insufficient_quota} (OpenAI) or a 400 {@code invalid_request_error} about the credit
     * balance (Anthropic) is an empty balance ({@link KeyVerdict#EXHAUST}); a 429 whose message
     * begins "Request too large" refuses this request for the key's tier only
     * ({@link KeyVerdict#SKIP}). Otherwise, and for a status named in {@code failoverOn}, the
     * verdict stands.
     */
    public KeyVerdict refine(KeyVerdict verdict, int status, String errorBody) {
        if (errorBody == null || !readsErrorBody(status) || extraStatuses.actionFor(status) != null) {
            // A status the route configured with failoverOn keeps the rule it was given.
            return verdict;
        }
        ErrorBody error = ErrorBody.parse(errorBody);
        if (status == 429 && error.is("insufficient_quota")) {
            return KeyVerdict.EXHAUST;
        }
        if (status == 429 && error.messageStartsWith("Request too large")) {
            return KeyVerdict.SKIP;
        }
        if (status == 400 && error.is("invalid_request_error") && error.messageMentions("credit balance")) {
            return KeyVerdict.EXHAUST;
        }
        return verdict;
    }

    private KeyVerdict coolDown(HttpResponse response, Instant now) {
        return KeyVerdict.coolDown(RetryHints.advisedWait(response, now).orElse(KeyVerdict.DEFAULT_COOLDOWN));
    }

    /** What a 403 means under these rules. */
    public On403 on403() {
        return on403;
    }

    /** The statuses added to the failover list, with their rule. */
    public Map<Integer, KeyVerdict.Action> extraStatuses() {
        return extraStatuses.asMap();
    }

    @Override
    public String toString() {
        return "FailoverRules[on403=" + on403 + ", failoverOn=" + extraStatuses.asMap() + "]";
    }

    /** Builds {@link FailoverRules}. */
    public static final class Builder {
        private On403 on403 = On403.SKIP;
        private final Map<Integer, KeyVerdict.Action> extraStatuses = new TreeMap<>();

        private Builder() {
        }

        /** What a 403 means; default {@link On403#SKIP}. */
        public Builder on403(On403 rule) {
            this.on403 = Objects.requireNonNull(rule, "on403");
            return this;
        }

        /**
         * What a 403 means, as configured: {@code skip}, {@code disable} or {@code pass}.
         *
         * @throws IllegalArgumentException naming {@code on403} and the value
         */
        public Builder on403(String value) {
            try {
                return on403(On403.valueOf(value.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("on403 must be 'skip', 'disable' or 'pass', not '" + value + "'");
            }
        }

        /**
         * Adds the statuses of a configured list: {@code status[:cooldown|skip]}, comma-separated,
         * cooldown when the rule is left out, e.g. {@code 402,529:cooldown,409:skip}.
         *
         * @throws IllegalArgumentException naming {@code failoverOn} and the entry
         */
        public Builder failoverOn(String list) {
            FailoverOnStatuses.parse(list, extraStatuses);
            return this;
        }

        /**
         * Adds a status to the failover list.
         *
         * @param status an HTTP status other than 2xx, 401, 403 and 429
         * @param action {@link KeyVerdict.Action#COOL_DOWN} (the 429 rule) or
         *     {@link KeyVerdict.Action#SKIP} (the 403 {@code skip} rule)
         */
        public Builder failoverOn(int status, KeyVerdict.Action action) {
            FailoverOnStatuses.check(status, action);
            extraStatuses.put(status, action);
            return this;
        }

        /** The rules. */
        public FailoverRules build() {
            return new FailoverRules(this);
        }
    }
}
