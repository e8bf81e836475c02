package dev.keyfailover.config;

import java.util.Optional;

import dev.keyfailover.settings.Budget;
import dev.keyfailover.settings.Require;
import dev.keyfailover.settings.UsageSettings;

/**
 * The init-params of usage reading and budgets (behaviour.md §16): {@code streamUsage},
 * {@code maxModelTags}, {@code keyBudget}, {@code clientBudget}.
 */
final class UsageConfig {

    private UsageConfig() {
    }

    static UsageSettings read(ParameterReader reader) throws ConfigException {
        UsageSettings defaults = UsageSettings.defaults();
        Optional<Budget> keyBudget = reader.parse("keyBudget", Budget::parse);
        Optional<Budget> clientBudget = reader.parse("clientBudget", Budget::parse);
        // A token budget counts what streams used, so it asks OpenAI streams for their usage unless told not to.
        UsageSettings.StreamUsage streamUsage = UsageSettings.countsTokens(keyBudget, clientBudget)
                ? UsageSettings.StreamUsage.INJECT : defaults.streamUsage();
        return new UsageSettings(
                reader.parse("streamUsage", value -> Values.choice(value, UsageSettings.StreamUsage.class))
                        .orElse(streamUsage),
                reader.parse("maxModelTags", value -> (int) Require.between(Values.positiveInt(value), 1,
                        UsageSettings.MAX_MODEL_TAGS, "maxModelTags", "model")).orElse(defaults.maxModelTags()),
                keyBudget, clientBudget);
    }
}
