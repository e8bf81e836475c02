package dev.keyfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.keyfailover.settings.Budget;
import dev.keyfailover.settings.UsageSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The init-params of behaviour.md §16: {@code streamUsage}, {@code maxModelTags}, {@code keyBudget}, {@code clientBudget}. */
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

    @Test
    void budgetsAreWrittenAmountUnitAndPeriod() throws ConfigException {
        own.put("keyBudget", "2000000 tokens per day");
        own.put("clientBudget", "500 Requests per MONTH");

        UsageSettings usage = parse().usage();
        assertThat(usage.keyBudget()).contains(new Budget(2_000_000, Budget.Unit.TOKENS, Budget.Period.DAY));
        assertThat(usage.clientBudget()).contains(new Budget(500, Budget.Unit.REQUESTS, Budget.Period.MONTH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"keyBudget", "clientBudget"})
    void aTokenBudgetInjectsStreamUsageByDefault(String parameter) throws ConfigException {
        own.put(parameter, "1000 tokens per month");

        assertThat(parse().usage().streamUsage()).isEqualTo(UsageSettings.StreamUsage.INJECT);
    }

    @Test
    void aRequestBudgetLeavesStreamUsageOff() throws ConfigException {
        own.put("keyBudget", "500 requests per day");

        assertThat(parse().usage().streamUsage()).isEqualTo(UsageSettings.StreamUsage.OFF);
    }

    @Test
    void anExplicitStreamUsageWinsOverTheBudgetsDefault() throws ConfigException {
        own.put("clientBudget", "1000 tokens per day");
        own.put("streamUsage", "off");

        assertThat(parse().usage()).isEqualTo(new UsageSettings(UsageSettings.StreamUsage.OFF, 100, Optional.empty(),
                Optional.of(new Budget(1000, Budget.Unit.TOKENS, Budget.Period.DAY))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2000000", "0 tokens per day", "10 tokens per week", "10 words per day", "-5 requests per day",
            "ten tokens per day", "99999999999999999999 tokens per day"})
    void badBudgetNamesTheParameterAndTheForm(String value) {
        own.put("keyBudget", value);

        ConfigException error = catchThrowableOfType(ConfigException.class, this::parse);
        assertThat(error.getMessage()).startsWith(WHERE).contains("'keyBudget'")
                .contains("<n> tokens|requests per day|month").contains(value);
    }
}
