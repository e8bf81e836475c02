package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import dev.keyfailover.config.ParameterSource;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;

/**
 * The example's environment variables become the routes' shared defaults, each recorded with the
 * variable it came from, so that a bad value's error names the variable (the deployed WAR's
 * environment cannot be set in a test, so this is DemoMode's mapping alone).
 */
class DemoModeSharedDefaultsTest {

    private final Map<String, String> params = new HashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();

    /** A servlet context holding init-params and attributes, as a container's does before its servlets start. */
    private ServletContext context() {
        return (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServletContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "setInitParameter" -> params.putIfAbsent((String) args[0], (String) args[1]) == null;
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aSharedDefaultSetFromAVariableIsRecordedWithTheVariablesName() {
        params.put("keyfailover.streamUsage", "off"); // web.xml's own: the variable does not set it
        Map<String, String> environment = Map.of("KEYFAILOVER_RESPONSE_TIMEOUT", " abc ",
                "KEYFAILOVER_STREAM_USAGE", "inject", "KEYFAILOVER_KEYS_SECRET", "secret-never-a-name");

        DemoMode.sharedDefaults(context(), environment::get);

        assertThat(params).containsEntry("keyfailover.responseTimeout", "abc").containsEntry("keyfailover.retries", "2")
                .containsEntry("keyfailover.streamUsage", "off");
        var origins = ParameterSource.origins(attributes.get(ParameterSource.ORIGINS_ATTRIBUTE));
        assertThat(origins.apply("keyfailover.responseTimeout")).isEqualTo("KEYFAILOVER_RESPONSE_TIMEOUT");
        assertThat(origins.apply("keyfailover.keysSecret")).isEqualTo("KEYFAILOVER_KEYS_SECRET");
        // A default the variable did not give, and a value web.xml set, are not the variable's.
        assertThat(origins.apply("keyfailover.retries")).isNull();
        assertThat(origins.apply("keyfailover.streamUsage")).isNull();
        assertThat(attributes.get(ParameterSource.ORIGINS_ATTRIBUTE).toString()).doesNotContain("secret-never-a-name");
    }
}
