package dev.keyfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §15: a provider type whose factory presets a base URL needs no {@code baseUrl}; a
 * {@code baseUrl} given still wins; a type without a preset still requires one.
 */
class PresetBaseUrlTest {

    private final Map<String, String> own = new LinkedHashMap<>();

    private RouteConfig parse() throws ConfigException {
        ParameterSource source = new ParameterSource(own::get, Collections.enumeration(own.keySet()),
                name -> null, Collections.emptyEnumeration());
        return RouteConfig.parse("servlet 'preset'", "preset", source, new Placeholders(name -> null, name -> null));
    }

    @ParameterizedTest
    @CsvSource({
            "groq, https://api.groq.com/openai",
            "mistral, https://api.mistral.ai",
            "deepseek, https://api.deepseek.com",
            "openrouter, https://openrouter.ai/api",
            "xai, https://api.x.ai",
            "gemini-openai, https://generativelanguage.googleapis.com/v1beta/openai",
            "gemini, https://generativelanguage.googleapis.com"})
    void aPresetProviderNeedsNoBaseUrl(String type, String preset) throws ConfigException {
        own.put("provider", type);

        assertThat(parse().baseUrl()).isEqualTo(preset);
    }

    @Test
    void aBaseUrlGivenWinsOverThePreset() throws ConfigException {
        own.put("provider", "groq");
        own.put("baseUrl", "http://127.0.0.1:9999/groq/");

        assertThat(parse().baseUrl()).isEqualTo("http://127.0.0.1:9999/groq");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "generic", "azure-openai"})
    void aTypeWithoutAPresetStillRequiresABaseUrl(String type) {
        own.put("provider", type);

        ConfigException error = catchThrowableOfType(ConfigException.class, this::parse);

        assertThat(error).isNotNull();
        assertThat(error.getMessage()).contains("'baseUrl'").contains("is required");
    }
}
