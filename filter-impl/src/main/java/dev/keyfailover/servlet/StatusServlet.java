package dev.keyfailover.servlet;

import java.io.IOException;
import java.io.PrintWriter;
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
 * itself; a POST resets a key. Masked hints only. Reading needs the admin token, a role or
 * {@code statusAccess=public}; a reset the admin token or role ({@link AdminAccess}, behaviour.md
 * §13). The init-param {@code metricsUrl} (e.g. {@code metrics}) links the Prometheus endpoint.
 */
public class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int REFRESH_SECONDS = 5;
    private static final String ACTION_HEADER = "X-Keyfailover-Action";
    /** One line per admin action, refused or done (behaviour.md §13): who, what, which key, result. */
    private static final Logger AUDIT = LoggerFactory.getLogger("keyfailover.audit");

    private transient AdminAccess access;

    @Override
    public void init() throws ServletException {
        access = AdminAccess.of(this);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<ProxyRoute> routes = RouteRegistry.of(getServletContext()).routes();
        response.setHeader("Cache-Control", "no-store");
        if (!access.mayRead(request, response)) {
            return;
        }
        if (request.getRequestURI().endsWith(".json")) {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(json(routes));
        } else {
            response.setContentType("text/html");
            response.setCharacterEncoding("UTF-8");
            html(routes, response.getWriter(), getInitParameter("metricsUrl"));
        }
    }

    /**
     * An administrator's reset of one key to VALID (behaviour.md §1, §13), e.g. after a revoked key
     * was restored: {@code POST status.json?provider=<name>&key=<index>} with the header
     * {@code X-Keyfailover-Action: reset}, by the admin token or the role {@code keyfailover-admin}
     * ({@link AdminAccess}); each one, refused or not, is a line of the audit log.
     */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String providerName = printable(request.getParameter("provider"));
        String what = "reset of key #" + printable(request.getParameter("key")) + " of '" + providerName + "'";
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

    private static void html(List<ProxyRoute> routes, PrintWriter out, String metricsUrl) {
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">");
        out.println("<title>keyfailover status</title><style>body{font-family:sans-serif;margin:2em}"
                + "table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 10px;"
                + "text-align:left}.VALID{color:#060}.COOLING{color:#a60}.DISABLED{color:#b00}.EXHAUSTED{color:#707}"
                + "td.models{font-size:90%}</style></head><body>");
        out.println("<h1>keyfailover status</h1>");
        if (routes.isEmpty()) {
            out.println("<p>No provider routes are running.</p>");
        }
        for (ProxyRoute route : routes) {
            out.println("<h2 class=\"provider\">" + StatusText.escape(route.provider().name()) + "</h2>");
            out.println("<p class=\"store\">Key states: " + StatusText.escape(route.stateStore().description())
                    + (route.stateStore().reachable() ? "" : " <strong>(not answering: this node uses its own)</strong>")
                    + "</p>");
            if (route.pool() == null) {
                out.println("<p>No key pool: requests are forwarded as they are.</p>");
                continue;
            }
            out.println("<table data-provider=\"" + StatusText.escape(route.provider().name()) + "\"><thead><tr><th>#</th>"
                    + "<th>key</th><th>state</th><th>cooldown remaining</th><th>attempts</th><th>successes</th>"
                    + "<th>failures</th><th>last status</th><th>per model: cooldown, limits left</th>"
                    + UsageStatus.HEADERS + "</tr></thead><tbody>");
            for (KeySnapshot key : snapshot(route)) {
                out.println("<tr><td>" + key.index() + "</td><td>" + StatusText.escape(key.hint()) + "</td><td class=\""
                        + key.state() + "\">" + key.state() + "</td><td>" + StatusText.remaining(key) + "</td><td>"
                        + key.attempts() + "</td><td>" + key.successes() + "</td><td>" + key.failures() + "</td><td>"
                        + StatusText.lastStatus(key.lastStatus()) + "</td><td class=\"models\">" + StatusText.modelsText(key)
                        + "</td>" + UsageStatus.cells(route.usage(), key) + "</tr>");
            }
            out.println("</tbody></table>");
            UsageStatus.clientsTable(route.usage(), out);
        }
        out.println("<p>Refreshes every " + REFRESH_SECONDS + " s. JSON: <a href=\"status.json\">status.json</a>"
                + (metricsUrl == null || metricsUrl.isBlank() ? ""
                        : ". Metrics: <a class=\"metrics\" href=\"" + StatusText.escape(metricsUrl.trim()) + "\">"
                                + StatusText.escape(metricsUrl.trim()) + "</a>")
                + "</p>");
        out.println("</body></html>");
    }

    private static List<KeySnapshot> snapshot(ProxyRoute route) {
        KeyPool pool = route.pool();
        return pool == null ? List.of() : pool.snapshot();
    }

}
