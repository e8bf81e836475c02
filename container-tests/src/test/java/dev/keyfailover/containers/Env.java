package dev.keyfailover.containers;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the build hands the tests (failsafe, see the pom): the WAR file, the reserved upstream
 * port, and the environment the WAR is configured by, which in-JVM containers inherit.
 */
final class Env {

    static final List<String> VARIABLES = List.of("OPENAI_BASE_URL", "OPENAI_API_KEYS", "ANTHROPIC_BASE_URL",
            "ANTHROPIC_API_KEYS", "KEYFAILOVER_BYOK", "KEYFAILOVER_STATUS_ACCESS");
    /** Not set, or blank, in some runs: the 2,000-stream runs dump nothing and raise the upstream connections. */
    static final List<String> OPTIONAL_VARIABLES = List.of("KEYFAILOVER_DUMP_DIR", "KEYFAILOVER_MAX_CONNECTIONS");

    private Env() {
    }

    static Path war() {
        return Path.of(required(System.getProperty("example.war"), "system property example.war"));
    }

    static int upstreamPort() {
        return Integer.parseInt(required(System.getProperty("upstream.port"), "system property upstream.port"));
    }

    static String variable(String name) {
        return required(System.getenv(name), "environment variable " + name);
    }

    static List<String> openAiKeys() {
        return Arrays.asList(variable("OPENAI_API_KEYS").split(","));
    }

    static List<String> anthropicKeys() {
        return Arrays.asList(variable("ANTHROPIC_API_KEYS").split(","));
    }

    /** The WAR's variables as this JVM has them, for a container started as another process. */
    static void copyInto(Map<String, String> environment) {
        for (String name : VARIABLES) {
            environment.put(name, variable(name));
        }
        for (String name : OPTIONAL_VARIABLES) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(what + " is not set: run these tests through Maven (mvn verify)");
        }
        return value;
    }
}
