package dev.keyfailover.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.apache.hc.core5.http.HttpResponse;

/**
 * The shared judgement of an upstream answer for its key (SPEC section 3), so that providers do
 * not each re-implement it.
 *
 * <ul>
 *   <li>429: the key cools down for the advised wait ({@link RetryHints}), else the default
 *       cooldown (60 s);</li>
 *   <li>401: the key is disabled;</li>
 *   <li>403: as {@link On403} says (default {@link On403#SKIP});</li>
 *   <li>statuses added with {@link Builder#failoverOn}: cool down (as 429) or skip (as 403);</li>
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

    /** The cooldown when upstream advises none: 60 seconds. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(60);

    private static final FailoverRules DEFAULTS = builder().build();

    private final On403 on403;
    private final Duration defaultCooldown;
    private final Map<Integer, KeyVerdict.Action> extraStatuses;

    private FailoverRules(Builder builder) {
        this.on403 = builder.on403;
        this.defaultCooldown = builder.defaultCooldown;
        this.extraStatuses = Collections.unmodifiableMap(new TreeMap<>(builder.extraStatuses));
    }

    /** The rules of SPEC section 3 with every setting at its default. */
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
            switch (on403) {
                case SKIP:
                    return KeyVerdict.SKIP;
                case DISABLE:
                    return KeyVerdict.DISABLE;
                default:
                    return KeyVerdict.ACCEPT;
            }
        }
        KeyVerdict.Action extra = extraStatuses.get(status);
        if (extra == KeyVerdict.Action.COOL_DOWN) {
            return coolDown(response, now);
        }
        if (extra == KeyVerdict.Action.SKIP) {
            return KeyVerdict.SKIP;
        }
        return KeyVerdict.ACCEPT;
    }

    private KeyVerdict coolDown(HttpResponse response, Instant now) {
        return KeyVerdict.coolDown(RetryHints.advisedWait(response, now).orElse(defaultCooldown));
    }

    /** What a 403 means under these rules. */
    public On403 on403() {
        return on403;
    }

    /** The statuses added to the failover list, with their rule. */
    public Map<Integer, KeyVerdict.Action> extraStatuses() {
        return extraStatuses;
    }

    @Override
    public String toString() {
        return "FailoverRules[on403=" + on403 + ", defaultCooldown=" + defaultCooldown
                + ", failoverOn=" + extraStatuses + "]";
    }

    /** Builds {@link FailoverRules}. */
    public static final class Builder {
        private On403 on403 = On403.SKIP;
        private Duration defaultCooldown = DEFAULT_COOLDOWN;
        private final Map<Integer, KeyVerdict.Action> extraStatuses = new TreeMap<>();

        private Builder() {
        }

        /** What a 403 means; default {@link On403#SKIP}. */
        public Builder on403(On403 rule) {
            this.on403 = Objects.requireNonNull(rule, "on403");
            return this;
        }

        /** The cooldown when upstream advises none; default 60 s. */
        public Builder defaultCooldown(Duration cooldown) {
            if (cooldown == null || cooldown.isNegative() || cooldown.isZero()) {
                throw new IllegalArgumentException("defaultCooldown must be positive");
            }
            this.defaultCooldown = cooldown;
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
            if (status < 300 || status > 599 || status == 401 || status == 403 || status == 429) {
                throw new IllegalArgumentException("failoverOn status must be 3xx-5xx other than 401, 403, 429: " + status);
            }
            if (action != KeyVerdict.Action.COOL_DOWN && action != KeyVerdict.Action.SKIP) {
                throw new IllegalArgumentException("failoverOn rule must be COOL_DOWN or SKIP: " + action);
            }
            extraStatuses.put(status, action);
            return this;
        }

        /** The rules. */
        public FailoverRules build() {
            return new FailoverRules(this);
        }
    }
}
