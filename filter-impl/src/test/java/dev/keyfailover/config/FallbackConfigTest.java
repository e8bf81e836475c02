package dev.keyfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.keyfailover.settings.FallbackSettings;
import org.junit.jupiter.api.Test;

/** behaviour.md §18: a route's fallback parameters, their defaults, and errors naming the parameter. */
class FallbackConfigTest {

    private static final String WHERE = "servlet 'primary'";
    private final Map<String, String> own = new LinkedHashMap<>(Map.of("provider", "openai",
            "baseUrl", "https://api.openai.com/v1"));

    private FallbackSettings parse() throws ConfigException {
        ParameterSource source = new ParameterSource(own::get, Collections.enumeration(own.keySet()),
                name -> null, Collections.emptyEnumeration());
        return RouteConfig.parse(WHERE, "primary", source, new Placeholders(name -> null, name -> null)).fallback();
    }

    private String failure(String parameter) {
        ConfigException error = catchThrowableOfType(ConfigException.class, this::parse);
        assertThat(error).as("a ConfigException for '%s'", parameter).isNotNull();
        assertThat(error.getMessage()).startsWith(WHERE + ":").contains(parameter);
        return error.getMessage();
    }

    @Test
    void withoutParametersARouteHasNoFallbackAndABreakerOfFiveRequestsAndTenSeconds() throws ConfigException {
        FallbackSettings settings = parse();

        assertThat(settings.routes()).isEmpty();
        assertThat(settings.onStatuses()).isEmpty();
        assertThat(settings.onCodes()).isEmpty();
        assertThat(settings.renamed("gpt-4o")).isEqualTo("gpt-4o");
        assertThat(settings.breakerThreshold()).isEqualTo(5);
        assertThat(settings.breakerCooldown()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.apiFamily()).isEqualTo("openai");
    }

    @Test
    void everyParameterIsRead() throws ConfigException {
        own.putAll(Map.of("fallback", "backup, cheap", "fallbackOn", "context_length_exceeded, 400, 413",
                "modelMap", "gpt-4o=gpt-4o-mini, o1=o1-mini", "fallbackModel", "gpt-4.1",
                "breakerThreshold", "3", "breakerCooldown", "30s"));

        FallbackSettings settings = parse();

        assertThat(settings.routes()).containsExactly("backup", "cheap");
        assertThat(settings.onStatuses()).isEqualTo(Set.of(400, 413));
        assertThat(settings.onCodes()).isEqualTo(Set.of("context_length_exceeded"));
        assertThat(settings.renamed("gpt-4o")).isEqualTo("gpt-4o-mini");
        assertThat(settings.renamed("other")).as("fallbackModel renames any other model").isEqualTo("gpt-4.1");
        assertThat(settings.breakerThreshold()).isEqualTo(3);
        assertThat(settings.breakerCooldown()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theOpenAiCompatiblePresetsSpeakOpenAisApiAndGeminiAndAzureTheirOwn() throws ConfigException {
        for (String preset : List.of("groq", "mistral", "deepseek", "openrouter", "xai")) {
            own.put("provider", preset);
            assertThat(parse().apiFamily()).as(preset).isEqualTo("openai");
        }
        for (String own : List.of("gemini", "gemini-openai", "azure-openai", "anthropic")) {
            this.own.put("provider", own);
            assertThat(parse().apiFamily()).as(own).isEqualTo(own);
        }
    }

    @Test
    void theGenericProvidersApiIsTheErrorShapeItSpeaksUnlessApiFamilySaysOtherwise() throws ConfigException {
        own.put("provider", "generic");
        assertThat(parse().apiFamily()).isEqualTo("openai");
        own.put("errorFormat", "anthropic");
        assertThat(parse().apiFamily()).isEqualTo("anthropic");
        own.put("apiFamily", "Gemini");
        assertThat(parse().apiFamily()).isEqualTo("gemini");
    }

    @Test
    void badValuesStopTheRouteNamingTheParameter() {
        for (Map.Entry<String, String> bad : List.of(Map.entry("fallback", "primary"),
                Map.entry("fallbackOn", "200"), Map.entry("fallbackOn", "too long!"), Map.entry("modelMap", "gpt-4o"),
                Map.entry("modelMap", "=x"), Map.entry("breakerThreshold", "0"), Map.entry("breakerCooldown", "0s"))) {
            own.put(bad.getKey(), bad.getValue());
            assertThat(failure(bad.getKey())).as(bad.toString()).isNotEmpty();
            own.remove(bad.getKey());
        }
        own.putAll(Map.of("modelMap", "*=a", "fallbackModel", "b"));
        assertThat(failure("fallbackModel")).contains("modelMap");
    }
}
