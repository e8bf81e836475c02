package dev.keyfailover.example;

import dev.keyfailover.servlet.KeyFailoverServlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may read {@code /status} and {@code /metrics} and reset keys in the example (behaviour.md
 * §13). In demo mode (every {@code *_BASE_URL} unset and every route on the built-in demo upstream
 * with its demo keys) the status is public and actions are open, and the log says so. Otherwise
 * {@code KEYFAILOVER_STATUS_ACCESS} (default {@code protected}) and {@code KEYFAILOVER_ADMIN_TOKEN}
 * (the admin token, at least 32 characters) decide, or the container roles
 * {@code keyfailover-admin} and {@code keyfailover-viewer}.
 */
final class AdminDefaults {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMode.class);
    private static final String[] BASE_URLS = {"OPENAI_BASE_URL", "ANTHROPIC_BASE_URL", "GEMINI_BASE_URL",
        "OPENAI_FALLBACK_BASE_URL"};

    private AdminDefaults() {
    }

    static void apply(ServletContext context) {
        String token = environment("KEYFAILOVER_ADMIN_TOKEN");
        context.setInitParameter("keyfailover.adminToken", token == null ? "" : token);
        if (demo(context)) {
            context.setInitParameter("keyfailover.statusAccess", "public");
            context.setInitParameter("keyfailover.adminAccess", "open");
            LOG.warn("demo mode (no *_BASE_URL set): /status, /status.json and /metrics are public and anyone may "
                    + "add, remove, disable and reset keys (the status page's console, /admin/keys); set a *_BASE_URL "
                    + "for a real deployment, where they need KEYFAILOVER_ADMIN_TOKEN");
            return;
        }
        String access = environment("KEYFAILOVER_STATUS_ACCESS");
        context.setInitParameter("keyfailover.statusAccess", access == null ? "protected" : access);
        context.setInitParameter("keyfailover.adminAccess", "protected");
    }

    /**
     * No {@code *_BASE_URL} set, and every proxy route goes to the demo upstream: a provider given
     * keys alone ({@code GEMINI_API_KEYS}, {@code GROQ_API_KEYS}, ...) goes to its preset address
     * with real keys, which no demo mode may open to anyone.
     */
    private static boolean demo(ServletContext context) {
        for (String name : BASE_URLS) {
            if (environment(name) != null) {
                return false;
            }
        }
        for (ServletRegistration route : context.getServletRegistrations().values()) {
            String baseUrl = route.getInitParameter("baseUrl");
            if (KeyFailoverServlet.class.getName().equals(route.getClassName())
                    && (baseUrl == null || !baseUrl.startsWith(DemoUpstreamServlet.PATH))) {
                return false;
            }
        }
        return true;
    }

    private static String environment(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
