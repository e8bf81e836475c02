package dev.keyfailover.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeySnapshot;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The status page's HTML (behaviour.md §13, §14): the pools as tables, every client-chosen name
 * escaped, and the admin console's script. The script is inline and allowed by its SHA-256 in
 * the Content-Security-Policy, so no other script (one injected through a model name, say) can
 * run, and a user's WAR needs no mapping for a script file.
 */
final class StatusPage {

    static final int REFRESH_SECONDS = 5;
    private static final String SCRIPT = resource("status-console.js");
    private static final String STYLE = "body{font-family:sans-serif;margin:2em}"
            + "table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 10px;"
            + "text-align:left}.VALID{color:#060}.COOLING{color:#a60}.DISABLED{color:#b00}.EXHAUSTED{color:#707}"
            + "td.models{font-size:90%}#console{background:#f4f4f4;padding:.5em 1em;margin-bottom:1em}"
            + "#console-message.failed{color:#b00}td.actions button{margin-right:4px}";
    /** Nothing but this page's own script and style; no frames, forms, base or foreign connections. */
    static final String POLICY = "default-src 'none'; script-src 'sha256-" + sha256(SCRIPT) + "'; style-src 'sha256-"
            + sha256(STYLE) + "'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private StatusPage() {
    }

    /** The headers of every status answer, page or JSON. */
    static void protect(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    /**
     * The page with the pools; {@code adminPath} (may be null: no console) is where the script finds
     * the admin API, {@code mayAct} whether this request's credential may use it.
     */
    static void write(List<ProxyRoute> routes, PrintWriter out, String metricsUrl, String adminPath, boolean mayAct) {
        head(out);
        out.println("<main id=\"status\" data-readable=\"true\" data-may-act=\"" + mayAct + "\""
                + adminPath(adminPath) + " data-refresh-seconds=\"" + REFRESH_SECONDS + "\">");
        if (routes.isEmpty()) {
            out.println("<p>No provider routes are running.</p>");
        }
        for (ProxyRoute route : routes) {
            pool(route, out);
        }
        out.println("<p>Refreshes every " + REFRESH_SECONDS + " s. JSON: <a href=\"status.json\">status.json</a>"
                + (metricsUrl == null || metricsUrl.isBlank() ? ""
                        : ". Metrics: <a class=\"metrics\" href=\"" + StatusText.escape(metricsUrl.trim()) + "\">"
                                + StatusText.escape(metricsUrl.trim()) + "</a>")
                + "</p>");
        tail(out);
    }

    /** The page for a visitor who may not read: no data, only where to enter the admin token. */
    static void refused(PrintWriter out, String adminPath) {
        head(out);
        out.println("<main id=\"status\" data-readable=\"false\" data-may-act=\"false\"" + adminPath(adminPath)
                + " data-refresh-seconds=\"" + REFRESH_SECONDS + "\"><p>Reading the status needs the admin token, "
                + "or a login with the role " + AdminAccess.VIEWER_ROLE + " or " + AdminAccess.ADMIN_ROLE + ".</p>");
        tail(out);
    }

    private static void head(PrintWriter out) {
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<title>keyfailover status</title><style>" + STYLE + "</style></head><body>");
        out.println("<h1>keyfailover status</h1>");
        // Filled by the script; outside <main>, so that a refresh keeps what the admin typed.
        out.println("<section id=\"console\" hidden><p id=\"console-message\" role=\"status\"></p>"
                + "<div id=\"login\" hidden><label>Admin token <input id=\"admin-token\" type=\"password\" "
                + "autocomplete=\"off\"></label> <button type=\"button\" id=\"use-token\">Use token</button></div>"
                + "<div id=\"actions\" hidden><label>Route <select id=\"add-route\"></select></label> "
                + "<label>New key <input id=\"add-key\" type=\"password\" autocomplete=\"off\"></label> "
                + "<label>Label <input id=\"add-label\"></label> <button type=\"button\" id=\"add\">Add key</button> "
                + "<button type=\"button\" id=\"forget-token\">Forget token</button></div></section>");
    }

    private static void tail(PrintWriter out) {
        out.println("</main><script>" + SCRIPT + "</script></body></html>");
    }

    private static String adminPath(String adminPath) {
        return adminPath == null ? "" : " data-admin-path=\"" + StatusText.escape(adminPath) + "\"";
    }

    private static void pool(ProxyRoute route, PrintWriter out) {
        out.println("<h2 class=\"provider\">" + StatusText.escape(route.provider().name()) + "</h2>");
        out.println("<p class=\"store\">Key states: " + StatusText.escape(route.stateStore().description())
                + (route.stateStore().reachable() ? "" : " <strong>(not answering: this node uses its own)</strong>")
                + "</p>");
        KeyPool pool = route.pool();
        if (pool == null) {
            out.println("<p>No key pool: requests are forwarded as they are.</p>");
            return;
        }
        // Only a route whose keys may change is offered the admin API's actions.
        out.println("<table data-provider=\"" + StatusText.escape(route.provider().name()) + "\""
                + (route.keys().isPresent() ? " data-keys-api=\"true\"" : "") + "><thead><tr><th>#</th>"
                + "<th>key</th><th>state</th><th>cooldown remaining</th><th>attempts</th><th>successes</th>"
                + "<th>failures</th><th>last status</th><th>per model: cooldown, limits left</th>"
                + UsageStatus.HEADERS + "</tr></thead><tbody>");
        for (KeySnapshot key : pool.snapshot()) {
            out.println("<tr data-fingerprint=\"" + StatusText.escape(key.fingerprint()) + "\" data-hint=\""
                    + StatusText.escape(key.hint()) + "\"><td>" + key.index() + "</td><td>"
                    + StatusText.escape(key.hint()) + "</td><td class=\"" + key.state() + "\">" + key.state()
                    + "</td><td>" + StatusText.remaining(key) + "</td><td>" + key.attempts() + "</td><td>"
                    + key.successes() + "</td><td>" + key.failures() + "</td><td>"
                    + StatusText.lastStatus(key.lastStatus()) + "</td><td class=\"models\">"
                    + StatusText.modelsText(key) + "</td>" + UsageStatus.cells(route.usage(), key) + "</tr>");
        }
        out.println("</tbody></table>");
        UsageStatus.clientsTable(route.usage(), out);
    }

    private static String resource(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the status page's " + name + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (text.contains("</")) {
                throw new IllegalStateException(name + " must not hold '</' (it is written inside <script>)");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
