package dev.keyfailover.example;

import java.util.List;

import dev.keyfailover.servlet.KeyFailoverServlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example's routes beyond OpenAI and Anthropic (behaviour.md §15). {@code gemini} (web.xml's
 * servlet, at {@code /gemini/*}) is always there: to {@code GEMINI_BASE_URL} (else Google's address)
 * with {@code GEMINI_API_KEYS} or {@code GEMINI_KEYS_FILE} when any of them is set, else to the demo
 * upstream with one demo key per case. The OpenAI-compatible providers get a route at
 * {@code /<provider>/*} only when their keys are set ({@code GROQ_API_KEYS} or {@code GROQ_KEYS_FILE},
 * with an optional {@code GROQ_BASE_URL}, and likewise; Azure OpenAI needs its base URL). Each
 * variable may also be a context-param of the same name ({@link ExampleEnvironment}).
 */
final class ProviderRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRoutes.class);

    /** One key per case of {@link DemoGemini}, in this order: per-minute quota, per-day quota, invalid, good. */
    static final String[] GEMINI_KEYS = {"AIza-demo-perminute-000000001", "AIza-demo-perday-00000000002",
            "AIza-demo-invalid-0000000003", "AIza-demo-good-0000000000004"};

    /** A provider whose route is added only when its keys are set; {@code prefix} names its variables. */
    record OptionalRoute(String provider, String prefix, boolean needsBaseUrl) {
    }

    static final List<OptionalRoute> OPTIONAL = List.of(new OptionalRoute("azure-openai", "AZURE_OPENAI", true),
            new OptionalRoute("groq", "GROQ", false), new OptionalRoute("mistral", "MISTRAL", false),
            new OptionalRoute("deepseek", "DEEPSEEK", false), new OptionalRoute("openrouter", "OPENROUTER", false),
            new OptionalRoute("xai", "XAI", false), new OptionalRoute("gemini-openai", "GEMINI_OPENAI", false));

    private ProviderRoutes() {
    }

    /** Configures web.xml's {@code gemini} route; called while the context starts, before the routes do. */
    static void gemini(ServletContext context) {
        ServletRegistration gemini = context.getServletRegistration("gemini");
        String baseUrl = ExampleEnvironment.value(context, "GEMINI_BASE_URL");
        if (baseUrl == null && !keysSet(context, "GEMINI")) {
            gemini.setInitParameter("baseUrl", DemoUpstreamServlet.PATH + "gemini");
            gemini.setInitParameter("keys", String.join(",", GEMINI_KEYS));
            gemini.setInitParameter("exposeKeyHint", "true");
            LOG.info("GEMINI_BASE_URL, GEMINI_API_KEYS and GEMINI_KEYS_FILE are not set: gemini goes to the built-in "
                    + "demo upstream, with one demo key per case (per-minute quota, per-day quota, invalid, good)");
            return;
        }
        if (baseUrl != null) {
            gemini.setInitParameter("baseUrl", baseUrl);
        }
        keys(context, gemini, "GEMINI");
    }

    /** Adds the route of each OpenAI-compatible provider whose keys are set. */
    static void addWhereKeysAreSet(ServletContext context) {
        for (OptionalRoute optional : OPTIONAL) {
            if (!keysSet(context, optional.prefix())) {
                continue;
            }
            String baseUrl = ExampleEnvironment.value(context, optional.prefix() + "_BASE_URL");
            if (baseUrl == null && optional.needsBaseUrl()) {
                throw new IllegalStateException(optional.prefix() + "_API_KEYS or " + optional.prefix()
                        + "_KEYS_FILE is set but " + optional.prefix() + "_BASE_URL is not: " + optional.provider()
                        + " has no common address (set the resource's, https://<resource>.openai.azure.com)");
            }
            ServletRegistration.Dynamic route = context.addServlet(optional.provider(), KeyFailoverServlet.class);
            if (route == null) {
                LOG.warn("{} keys are set but a servlet '{}' exists already: left as it is", optional.prefix(),
                        optional.provider());
                continue;
            }
            route.setInitParameter("provider", optional.provider());
            if (baseUrl != null) {
                route.setInitParameter("baseUrl", baseUrl);
            }
            keys(context, route, optional.prefix());
            route.setLoadOnStartup(1);
            route.setAsyncSupported(true);
            route.addMapping("/" + optional.provider() + "/*");
            LOG.info("{} keys are set: route '{}' at /{}/*", optional.prefix(), optional.provider(), optional.provider());
        }
    }

    /** Whether {@code <prefix>_API_KEYS} or {@code <prefix>_KEYS_FILE} is set (environment or context-param). */
    static boolean keysSet(ServletContext context, String prefix) {
        return ExampleEnvironment.value(context, prefix + "_API_KEYS") != null
                || ExampleEnvironment.value(context, prefix + "_KEYS_FILE") != null;
    }

    /** {@code keys} or {@code keysFile} from the variables; both set is an error (the route would refuse it too). */
    static void keys(ServletContext context, ServletRegistration route, String prefix) {
        String keys = ExampleEnvironment.value(context, prefix + "_API_KEYS");
        String file = ExampleEnvironment.value(context, prefix + "_KEYS_FILE");
        if (keys != null && file != null) {
            throw new IllegalStateException(prefix + "_API_KEYS and " + prefix + "_KEYS_FILE are both set; use one");
        }
        route.setInitParameter("keys", keys == null ? "" : keys);
        route.setInitParameter("keysFile", file == null ? "" : file);
    }
}
