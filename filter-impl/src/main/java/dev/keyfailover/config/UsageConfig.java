package dev.keyfailover.config;

import dev.keyfailover.settings.Require;
import dev.keyfailover.settings.UsageSettings;

/** The init-params of usage reading (behaviour.md §16): {@code streamUsage}, {@code maxModelTags}. */
final class UsageConfig {

    private UsageConfig() {
    }

    static UsageSettings read(ParameterReader reader) throws ConfigException {
        UsageSettings defaults = UsageSettings.defaults();
        return new UsageSettings(
                reader.parse("streamUsage", value -> Values.choice(value, UsageSettings.StreamUsage.class))
                        .orElse(defaults.streamUsage()),
                reader.parse("maxModelTags", value -> (int) Require.between(Values.positiveInt(value), 1,
                        UsageSettings.MAX_MODEL_TAGS, "maxModelTags", "model")).orElse(defaults.maxModelTags()));
    }
}
