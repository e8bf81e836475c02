package dev.keyfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.keyfailover.settings.UsageSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The init-params of behaviour.md §16: {@code streamUsage}, {@code maxModelTags}. */
class UsageConfigTest {

    private static final String WHERE = "servlet 'openai'";

    private final Map<String, String> own = new LinkedHashMap<>(Map.of("provider", "openai",
            "baseUrl", "https://api.openai.com/v1"));

    private RouteConfig parse() throws ConfigException {
        ParameterSource source = new ParameterSource(own::get, Collections.enumeration(own.keySet()),
                key -> null, Collections.emptyEnumeration());
        return RouteConfig.parse(WHERE, "openai", source, new Placeholders(key -> null, key -> null));
    }

    @Test
    void defaultsAreOffAndAHundredModels() throws ConfigException {
        assertThat(parse().usage()).isEqualTo(new UsageSettings(UsageSettings.StreamUsage.OFF, 100));
    }

    @Test
    void parsesBoth() throws ConfigException {
        own.put("streamUsage", "Inject");
        own.put("maxModelTags", "32");

        assertThat(parse().usage()).isEqualTo(new UsageSettings(UsageSettings.StreamUsage.INJECT, 32));
    }

    @ParameterizedTest
    @ValueSource(strings = {"on", "true", "include"})
    void badStreamUsage(String value) {
        own.put("streamUsage", value);

        ConfigException error = catchThrowableOfType(ConfigException.class, this::parse);
        assertThat(error.getMessage()).startsWith(WHERE).contains("'streamUsage'").contains("'off', 'inject'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "10001", "many"})
    void badMaxModelTags(String value) {
        own.put("maxModelTags", value);

        ConfigException error = catchThrowableOfType(ConfigException.class, this::parse);
        assertThat(error.getMessage()).startsWith(WHERE).contains("'maxModelTags'").contains(value);
    }
}
