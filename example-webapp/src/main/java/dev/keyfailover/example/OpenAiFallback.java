package dev.keyfailover.example;

import dev.keyfailover.servlet.KeyFailoverServlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example's fallback route for OpenAI (behaviour.md §18): when {@code OPENAI_FALLBACK_BASE_URL}
 * is set, a route {@code openai-fallback} at {@code /openai-fallback/*} with
 * {@code OPENAI_FALLBACK_API_KEYS} or {@code OPENAI_FALLBACK_KEYS_FILE} (watched, §14), and {@code OPENAI_FALLBACK_MODEL} (the model it asks for instead
 * of the client's), and the {@code openai} route falls back to it, on what
 * {@code OPENAI_FALLBACK_ON} adds to the transient failures, timeouts and a dry pool. Each variable
 * may also be given as a context-param of the same name. Absent otherwise.
 */
final class OpenAiFallback {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiFallback.class);
    static final String ROUTE = "openai-fallback";

    private OpenAiFallback() {
    }

    /** Adds the route when its base URL is set; called while the context starts, before the routes do. */
    static void addIfConfigured(ServletContext context) {
        String baseUrl = setting(context, "OPENAI_FALLBACK_BASE_URL");
        if (baseUrl == null) {
            return;
        }
        ServletRegistration.Dynamic fallback = context.addServlet(ROUTE, KeyFailoverServlet.class);
        fallback.setInitParameter("provider", "openai");
        fallback.setInitParameter("baseUrl", baseUrl);
        ProviderRoutes.keys(context, fallback, "OPENAI_FALLBACK");
        String model = setting(context, "OPENAI_FALLBACK_MODEL");
        if (model != null) {
            fallback.setInitParameter("fallbackModel", model);
        }
        fallback.setLoadOnStartup(1);
        fallback.setAsyncSupported(true);
        fallback.addMapping("/" + ROUTE + "/*");
        ServletRegistration openai = context.getServletRegistration("openai");
        openai.setInitParameter("fallback", ROUTE);
        String on = setting(context, "OPENAI_FALLBACK_ON");
        if (on != null) {
            openai.setInitParameter("fallbackOn", on);
        }
        LOG.info("openai falls back to route '{}' at /{}/*{}", ROUTE, ROUTE,
                model == null ? "" : ", asking for model " + model);
    }

    private static String setting(ServletContext context, String name) {
        return ExampleEnvironment.value(context, name);
    }
}
