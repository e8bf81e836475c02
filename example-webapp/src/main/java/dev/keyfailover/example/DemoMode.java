package dev.keyfailover.example;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import dev.keyfailover.config.ParameterSource;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures the example from its environment ({@code OPENAI_BASE_URL}, {@code OPENAI_API_KEYS} or
 * {@code OPENAI_KEYS_FILE}, {@code ANTHROPIC_BASE_URL}, {@code ANTHROPIC_API_KEYS} or
 * {@code ANTHROPIC_KEYS_FILE} (a watched file, behaviour.md §14), {@code KEYFAILOVER_DUMP_DIR},
 * {@code KEYFAILOVER_BYOK}, {@code KEYFAILOVER_KEYS_SECRET}, {@code KEYFAILOVER_MAX_CONNECTIONS},
 * {@code KEYFAILOVER_RESPONSE_TIMEOUT},
 * {@code KEYFAILOVER_STREAM_IDLE_TIMEOUT}, {@code KEYFAILOVER_FIRST_BYTE_TIMEOUT},
 * {@code KEYFAILOVER_RETRIES}, {@code KEYFAILOVER_KEY_BUDGET}, {@code KEYFAILOVER_CLIENT_BUDGET},
 * {@code KEYFAILOVER_STREAM_USAGE}) and turns on the built-in demo upstream, with its demo keys, for a
 * provider given neither a base URL nor keys (keys alone go to the provider's own address); the keys
 * variables may also be context-params ({@link ExampleEnvironment}); Gemini and the providers whose routes appear only with their
 * keys are {@link ProviderRoutes}', the fallback route {@link OpenAiFallback}'s. Runs before the
 * proxy servlets start (listeners always do).
 *
 * <p>The values are set here as init-parameters rather than written in web.xml as
 * {@code ${env:NAME:-default}}: Tomcat resolves {@code ${…}} in web.xml itself, against system
 * properties only, before the application sees it, so a reference with a default always became
 * its default there (the environment was ignored).
 */
public class DemoMode implements ServletContextListener {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMode.class);

    /** Where real keys go without a {@code *_BASE_URL}: the address an SDK is given, without its {@code /v1}. */
    static final String OPENAI_ADDRESS = "https://api.openai.com";
    static final String ANTHROPIC_ADDRESS = "https://api.anthropic.com";

    /** One key per case of the pool, in this order: see {@link DemoUpstreamServlet}. */
    static final String[] OPENAI_KEYS = {"sk-demo-ratelimited-00000001", "sk-demo-revoked-000000000002",
            "sk-demo-noquota-000000000003", "sk-demo-busy4o-0000000000004", "sk-demo-countdown-000000005",
            "sk-demo-good-000000000000006"};
    static final String[] ANTHROPIC_KEYS = {"sk-ant-demo-ratelimited-0001", "sk-ant-demo-revoked-00000002",
            "sk-ant-demo-noquota-0000003", "sk-ant-demo-countdown-000004", "sk-ant-demo-good-00000000005"};

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        sharedDefaults(context, System::getenv);
        route(context, "openai", "OPENAI", OPENAI_ADDRESS, OPENAI_KEYS);
        route(context, "anthropic", "ANTHROPIC", ANTHROPIC_ADDRESS, ANTHROPIC_KEYS);
        ProviderRoutes.gemini(context);
        ProviderRoutes.addWhereKeysAreSet(context);
        OpenAiFallback.addIfConfigured(context);
        AdminDefaults.apply(context);
    }

    /**
     * The routes' shared defaults (context-params {@code keyfailover.<name>}) from the environment,
     * each one set from a variable recorded in {@link ParameterSource#ORIGINS_ATTRIBUTE}: a bad
     * value's error then names the variable the user set, not a parameter they never wrote.
     */
    static void sharedDefaults(ServletContext context, Function<String, String> environment) {
        Map<String, String> origins = new HashMap<>();
        SharedDefault shared = (name, variable, otherwise) -> {
            String value = environment.apply(variable);
            boolean set = value != null && !value.isBlank();
            // A context-param web.xml sets already wins (setInitParameter then changes nothing): not the variable's.
            if (context.setInitParameter(ParameterSource.CONTEXT_PREFIX + name, set ? value.trim() : otherwise) && set) {
                origins.put(ParameterSource.CONTEXT_PREFIX + name, variable);
            }
        };
        shared.set("dumpDir", "KEYFAILOVER_DUMP_DIR", "");
        // Blank leaves the routes' default (behaviour.md §13): auto, or deny on a route with client tokens.
        shared.set("byok", "KEYFAILOVER_BYOK", "");
        shared.set("clientTokens", "KEYFAILOVER_CLIENT_TOKENS", "");
        // Seals keys added at run time on their way to the other nodes of a cluster (behaviour.md §14).
        shared.set("keysSecret", "KEYFAILOVER_KEYS_SECRET", "");
        // Blank leaves the routes' default (200): every open stream holds one pooled upstream connection.
        shared.set("maxConnections", "KEYFAILOVER_MAX_CONNECTIONS", "");
        // Blank leaves the routes' defaults: 10 min for the head and inside the body, no first-byte wait.
        shared.set("responseTimeout", "KEYFAILOVER_RESPONSE_TIMEOUT", "");
        shared.set("streamIdleTimeout", "KEYFAILOVER_STREAM_IDLE_TIMEOUT", "");
        shared.set("firstByteTimeout", "KEYFAILOVER_FIRST_BYTE_TIMEOUT", "");
        // Read by the transient retries (behaviour.md §18); a route that does not know it yet ignores it.
        shared.set("retries", "KEYFAILOVER_RETRIES", "2");
        // Blank: no budget, and streamUsage as the budgets say (behaviour.md §16: inject with a token budget).
        shared.set("keyBudget", "KEYFAILOVER_KEY_BUDGET", "");
        shared.set("clientBudget", "KEYFAILOVER_CLIENT_BUDGET", "");
        shared.set("streamUsage", "KEYFAILOVER_STREAM_USAGE", "");
        context.setAttribute(ParameterSource.ORIGINS_ATTRIBUTE, Map.copyOf(origins));
    }

    /** Sets the context-param {@code keyfailover.<name>} from {@code variable}, else to {@code otherwise}. */
    @FunctionalInterface
    private interface SharedDefault {
        void set(String name, String variable, String otherwise);
    }

    private static void route(ServletContext context, String servlet, String prefix, String address,
            String[] demoKeys) {
        ServletRegistration registration = context.getServletRegistration(servlet);
        String baseUrl = environment(prefix + "_BASE_URL", null);
        if (baseUrl != null || ProviderRoutes.keysSet(context, prefix)) {
            // Real keys alone go to the provider's own address, as Gemini's and the optional routes' do:
            // the openai and anthropic providers have no preset (behaviour.md §15), so the example names it.
            String upstream = baseUrl != null ? baseUrl : address;
            registration.setInitParameter("baseUrl", upstream);
            // keys or keysFile; both set is a configuration error (behaviour.md §14).
            ProviderRoutes.keys(context, registration, prefix);
            LOG.info("{}: route '{}' goes to {}{}", prefix, servlet, upstream,
                    baseUrl != null ? " (" + prefix + "_BASE_URL)" : " (" + prefix + "_BASE_URL is not set)");
            return;
        }
        registration.setInitParameter("baseUrl", DemoUpstreamServlet.PATH + servlet);
        registration.setInitParameter("keys", String.join(",", demoKeys));
        // The demo shows which key served each answer; a real deployment keeps that to itself by default.
        registration.setInitParameter("exposeKeyHint", "true");
        LOG.info("{}_BASE_URL, {}_API_KEYS and {}_KEYS_FILE are not set: {} goes to the built-in demo upstream, "
                + "with one demo key per case (rate-limited, revoked, out of quota, ..., good)", prefix, prefix, prefix,
                servlet);
    }

    /** The variable's value; unset or blank gives the default. */
    private static String environment(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value.trim();
    }
}
