package dev.keyfailover.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import dev.keyfailover.settings.Require;
import dev.keyfailover.settings.RetrySettings;

/**
 * The init-params of transient retries (behaviour.md §18): {@code retries}, {@code transientStatuses},
 * {@code retryBackoff}, {@code maxRetryWait}, {@code requestBudget}.
 */
final class RetryConfig {

    private RetryConfig() {
    }

    static RetrySettings read(ParameterReader reader) throws ConfigException {
        RetrySettings defaults = RetrySettings.defaults();
        int retries = reader.parse("retries", RetryConfig::retries).orElse(defaults.retries());
        Set<Integer> statuses = reader.parse("transientStatuses", RetryConfig::statuses)
                .orElse(defaults.transientStatuses());
        Duration backoff = reader.parse("retryBackoff", value -> Require.atMost(Require.notNegative(
                Values.duration(value), "retryBackoff"), RetrySettings.MAX_BACKOFF, "retryBackoff"))
                .orElse(defaults.backoff());
        Duration maxRetryWait = reader.parse("maxRetryWait", value -> Require.notNegative(Values.duration(value),
                "maxRetryWait")).orElse(defaults.maxRetryWait());
        Optional<Duration> budget = reader.parse("requestBudget", RetryConfig::budget).orElse(defaults.requestBudget());
        return new RetrySettings(retries, statuses, backoff, maxRetryWait, budget);
    }

    private static int retries(String value) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number from 0 to "
                    + RetrySettings.MAX_RETRIES);
        }
        return (int) Require.between(parsed, 0, RetrySettings.MAX_RETRIES, "retries", "(0: no retries)");
    }

    /** A positive duration up to a day, or {@code none}. */
    private static Optional<Duration> budget(String value) {
        if (value.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        return Optional.of(Require.atMost(Require.positive(Values.duration(value), "requestBudget"),
                RetrySettings.MAX_REQUEST_BUDGET, "requestBudget"));
    }

    /** Comma-separated statuses, or {@code none}. */
    private static Set<Integer> statuses(String value) {
        Set<Integer> statuses = new LinkedHashSet<>();
        if (value.trim().equalsIgnoreCase("none")) {
            return statuses;
        }
        for (String entry : value.split(",")) {
            String status = entry.trim();
            if (status.isEmpty()) {
                continue;
            }
            if (!status.matches("[0-9]{3}")) {
                throw new IllegalArgumentException("'" + status + "' is not a status (a list such as "
                        + "500,502,503,504,529, or none)");
            }
            Require.between(Integer.parseInt(status), 400, 599, "transientStatuses", "(a 4xx or 5xx status)");
            statuses.add(Integer.parseInt(status));
        }
        return statuses;
    }
}
