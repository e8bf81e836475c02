package dev.keyfailover.servlet;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import dev.keyfailover.api.RateLimits;
import dev.keyfailover.chain.Jsons;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeySnapshot;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key pools at a glance: {@code .json} paths answer JSON, others an HTML page that refreshes
 * itself ({@link StatusPage}); a POST resets a key. Masked hints only. Reading needs the admin
 * token, a role or {@code statusAccess=public}; a reset the admin token or role ({@link AdminAccess},
 * behaviour.md §13). The init-param {@code metricsUrl} (e.g. {@code metrics}) links the Prometheus
 * endpoint; {@code adminPath} (e.g. {@code admin}, where {@link AdminKeysServlet} is mapped) makes
 * the page an admin console (§14).
 */
public class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String ACTION_HEADER = "X-Keyfailover-Action";
    /** One line per admin action, refused or done (behaviour.md §13): who, what, which key, result. */
    private static final Logger AUDIT = LoggerFactory.getLogger("keyfailover.audit");
    private static final Logger LOG = LoggerFactory.getLogger(StatusServlet.class);

    private transient AdminAccess access;
    /** Where the page's console finds the admin API ({@code adminPath}); null: no console. */
    private transient String adminPath;

    @Override
    public void init() throws ServletException {
        access = AdminAccess.of(this);
        String path = getInitParameter("adminPath");
        if (path != null && !path.isBlank() && !path.trim().matches("(/(?!/))?[A-Za-z0-9._~-][A-Za-z0-9._~/-]{0,199}")) {
            String message = "servlet '" + getServletName() + "': 'adminPath' must be the path of the admin API "
                    + "(AdminKeysServlet), relative to the status page (e.g. 'admin') or absolute on this server "
                    + "(e.g. '/app/admin')";
            LOG.error("keyfailover configuration error: {}", message);
            throw new ServletException(message);
        }
        adminPath = path == null || path.isBlank() ? null : path.trim();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<ProxyRoute> routes = RouteRegistry.of(getServletContext()).routes();
        StatusPage.protect(response);
        if (request.getRequestURI().endsWith(".json")) {
            if (access.mayRead(request, response)) {
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write(json(routes));
            }
            return;
        }
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        AdminAccess.ReadAccess read = access.readAccess(request);
        if (read != AdminAccess.ReadAccess.ALLOWED) {
            // No data, only the place to enter the admin token (the page is its console's too).
            boolean noCredential = read == AdminAccess.ReadAccess.NO_CREDENTIAL;
            response.setStatus(noCredential ? 401 : 403);
            if (noCredential) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"keyfailover\"");
            }
            StatusPage.refused(response.getWriter(), adminPath);
            return;
        }
        StatusPage.write(routes, response.getWriter(), getInitParameter("metricsUrl"), adminPath,
                access.mayActWith(request));
    }

    /**
     * An administrator's reset of one key to VALID (behaviour.md §1, §13), e.g. after a revoked key
     * was restored: {@code POST status.json?provider=<name>&key=<index>} with the header
     * {@code X-Keyfailover-Action: reset}, by the admin token or the role {@code keyfailover-admin}
     * ({@link AdminAccess}); each one, refused or not, is a line of the audit log.
     */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StatusPage.protect(response);
        String providerName = printable(request.getParameter("provider"));
        String keyParameter = request.getParameter("key") == null ? "" : request.getParameter("key");
        // An index as sent; anything else masked as a key's hint: it may be the key itself.
        String what = "reset of key #" + (keyParameter.matches("\\d{0,9}") ? keyParameter
                : AdminAnswers.keyReference(keyParameter)) + " of '" + providerName + "'";
        Optional<String> who = access.mayAct(request, response);
        if (who.isEmpty()) {
            AUDIT.info("{} by {} from {}: refused ({})", what, request.getRemoteUser() == null ? "an unauthorised client"
                    : "user '" + request.getRemoteUser() + "'", request.getRemoteAddr(), response.getStatus());
            return;
        }
        if (!"reset".equalsIgnoreCase(request.getHeader(ACTION_HEADER))) {
            problem(response, 400, "send the header " + ACTION_HEADER + ": reset to reset a key");
            AUDIT.info("{} by {}: refused (400, no {} header)", what, who.get(), ACTION_HEADER);
            return;
        }
        ProxyRoute route = RouteRegistry.of(getServletContext()).routes().stream()
                .filter(candidate -> candidate.provider().name().equals(request.getParameter("provider"))
                        && candidate.pool() != null)
                .findFirst().orElse(null);
        KeyPool pool = route == null ? null : route.pool();
        int index = request.getParameter("key") != null && request.getParameter("key").matches("\\d{1,9}")
                ? Integer.parseInt(request.getParameter("key")) : -1;
        if (pool == null || index < 0 || index >= pool.keys().size()) {
            int status = pool == null ? 404 : 400;
            problem(response, status, pool == null ? "no provider with a key pool is named '" + providerName + "'"
                    : "key must be an index from 0 to " + (pool.keys().size() - 1));
            AUDIT.info("{} by {}: refused ({}, no such {})", what, who.get(), status, pool == null ? "pool" : "key");
            return;
        }
        boolean changed = route.resetKey(index);
        KeySnapshot key = pool.snapshot().get(index);
        AUDIT.info("{} ({}) by {}: done ({})", what, key.hint(), who.get(), changed ? "was not valid" : "already valid");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Jsons.objectBuilder().add("provider", providerName).add("index", index)
                .add("hint", key.hint()).add("state", key.state().name()).add("changed", changed).build().toString());
    }

    private static void problem(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Jsons.objectBuilder()
                .add("error", Jsons.objectBuilder().add("message", message)).build().toString());
    }

    /** The name as echoed back: only plain characters, so no input is reflected as it came. */
    private static String printable(String text) {
        return text == null ? "" : text.replaceAll("[^A-Za-z0-9._-]", "?");
    }

    static String json(List<ProxyRoute> routes) {
        JsonArrayBuilder providers = Jsons.arrayBuilder();
        for (ProxyRoute route : routes) {
            JsonArrayBuilder keys = Jsons.arrayBuilder();
            for (KeySnapshot key : snapshot(route)) {
                keys.add(UsageStatus.withReason(Jsons.objectBuilder(), route, key)
                        .add("index", key.index())
                        .add("hint", key.hint())
                        .add("fingerprint", key.fingerprint())
                        .add("state", key.state().name())
                        .add("cooldownRemainingMs", key.cooldownRemaining().toMillis())
                        .add("attempts", key.attempts())
                        .add("successes", key.successes())
                        .add("failures", key.failures())
                        .add("lastStatus", key.lastStatus())
                        .add("models", models(key))
                        .add("usage", UsageStatus.json(route.usage(), key)));
            }
            JsonObjectBuilder provider = Jsons.objectBuilder()
                    .add("name", route.provider().name())
                    .add("pool", route.pool() != null)
                    .add("keys", keys)
                    .add("clients", UsageStatus.clients(route.usage()))
                    .add("stateStore", Jsons.objectBuilder().add("kind", route.stateStore().description())
                            .add("reachable", route.stateStore().reachable()))
                    .add("leasedConnections", route.client().connectionStats().getLeased());
            route.keys().flatMap(RouteKeys::fileError).ifPresent(error -> provider.add("keysFileError", error));
            providers.add(provider);
        }
        return Jsons.objectBuilder().add("providers", providers).build().toString();
    }

    /** Per model: its own cooldown on the key and the provider's last rate-limit counts (behaviour.md §10). */
    private static JsonArrayBuilder models(KeySnapshot key) {
        JsonArrayBuilder models = Jsons.arrayBuilder();
        for (KeySnapshot.ModelSnapshot model : key.models()) {
            JsonObjectBuilder limits = Jsons.objectBuilder();
            for (RateLimits.Window window : model.limits().windows()) {
                JsonObjectBuilder entry = Jsons.objectBuilder().add("limit", window.limit())
                        .add("remaining", window.remaining());
                if (window.reset() != null) {
                    entry.add("reset", window.reset().toString());
                }
                limits.add(window.name(), entry);
            }
            models.add(Jsons.objectBuilder().add("model", model.model())
                    .add("cooldownRemainingMs", model.cooldownRemaining().toMillis())
                    .add("limits", limits));
        }
        return models;
    }

    private static List<KeySnapshot> snapshot(ProxyRoute route) {
        KeyPool pool = route.pool();
        return pool == null ? List.of() : pool.snapshot();
    }

}
