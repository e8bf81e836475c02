package dev.keyfailover.servlet;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.keyfailover.chain.Jsons;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeySnapshot;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of a pool's keys (behaviour.md §14), mapped at e.g. {@code /admin/*}:
 * {@code GET keys?route=R} lists them, {@code POST keys?route=R} adds, {@code DELETE keys/{fp}}
 * removes, {@code POST keys/{fp}/{disable|enable|test|reset}} acts on one. Who may read and who may
 * act is {@link AdminAccess}'s (as for {@link StatusServlet}); every action, refused or not, is one
 * line of the audit log. No answer, message or log line holds a key: hints and fingerprints only.
 */
public class AdminKeysServlet extends HttpServlet {

    private static final Logger AUDIT = LoggerFactory.getLogger("keyfailover.audit");
    /** The methods the API serves; HEAD and OPTIONS as every servlet does. TRACE is not one: it would echo credentials. */
    private static final Set<String> SERVED = Set.of("GET", "HEAD", "POST", "DELETE", "OPTIONS");

    private transient AdminAccess access;

    @Override
    public void init() throws ServletException {
        access = AdminAccess.of(this);
    }

    /**
     * Any other method is a 405 in the API's own JSON, with {@code Allow} for the resource asked for,
     * not the container's empty answer (behaviour.md §14).
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (SERVED.contains(request.getMethod())) {
            super.service(request, response);
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        boolean aKey = request.getPathInfo() != null && request.getPathInfo().startsWith("/keys/");
        response.setHeader("Allow", aKey ? "POST, DELETE" : "GET, POST");
        AdminAnswers.problem(response, 405, AdminAnswers.printable(request.getMethod()) + " is not served here: "
                + "GET keys?route=<route> lists a route's keys, POST keys?route=<route> adds, DELETE keys/{fingerprint} "
                + "removes, POST keys/{fingerprint}/{disable|enable|test|reset} acts on one");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (!access.mayRead(request, response)) {
            return;
        }
        if (request.getPathInfo() != null && request.getPathInfo().startsWith("/keys/")) {
            // A key's own resource: its actions, never a GET (behaviour.md §13).
            response.setHeader("Allow", "POST, DELETE");
            AdminAnswers.problem(response, 405, "admin actions are POST keys/{fingerprint}/{disable|enable|test|reset} "
                    + "or DELETE keys/{fingerprint}; GET keys?route=<route> lists a route's keys");
            return;
        }
        if (!"/keys".equals(request.getPathInfo())) {
            AdminAnswers.problem(response, 404, "GET keys?route=<route> lists a route's keys");
            return;
        }
        Optional<ProxyRoute> route = route(request);
        if (route.isEmpty()) {
            AdminAnswers.problem(response, 404, noSuchRoute(request));
            return;
        }
        KeyPool pool = route.get().pool();
        Map<String, Key> keys = new HashMap<>();
        pool.keys().forEach(key -> keys.put(key.fingerprint(), key));
        JsonArrayBuilder list = Jsons.arrayBuilder();
        for (KeySnapshot state : pool.snapshot()) {
            Key key = keys.get(state.fingerprint());
            list.add(Jsons.objectBuilder().add("fingerprint", state.fingerprint()).add("hint", state.hint())
                    .add("label", key == null ? "" : key.membership().label()).add("state", state.state().name())
                    .add("adminDisabled", key != null && key.membership().isAdminDisabled())
                    .add("source", key == null ? "" : key.membership().source().tag()).add("position", state.index()));
        }
        AdminAnswers.json(response, 200, Jsons.objectBuilder().add("route", route.get().provider().name())
                .add("keys", list).build());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        act(request, response);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        act(request, response);
    }

    private void act(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String[] path = request.getPathInfo() == null ? new String[0] : request.getPathInfo().substring(1).split("/", -1);
        String routeName = AdminAnswers.printable(request.getParameter("route"));
        String fingerprint = path.length > 1 ? AdminAnswers.keyReference(path[1]) : "";
        String verb = request.getMethod().equals("DELETE") ? "remove"
                : path.length == 1 ? "add" : path.length == 3 ? AdminAnswers.printable(path[2]) : "?";
        String what = verb + (fingerprint.isEmpty() ? "" : " of key " + fingerprint) + " on route '" + routeName + "'";
        boolean add = verb.equals("add") && request.getMethod().equals("POST");
        Optional<String> who = access.mayAct(request, response, add);
        if (who.isEmpty()) {
            AUDIT.info("{} by {} from {}: refused ({})", what, request.getRemoteUser() == null
                    ? "an unauthorised client" : "user '" + request.getRemoteUser() + "'", request.getRemoteAddr(),
                    response.getStatus());
            return;
        }
        AdminAction action = new AdminAction(AUDIT, what, who.get(), response);
        if (path.length == 0 || !path[0].equals("keys") || path.length > 3
                || (request.getMethod().equals("DELETE") && path.length != 2)
                || (request.getMethod().equals("POST") && path.length == 2)) {
            action.refuse(404, "the admin API is POST keys, DELETE keys/{fingerprint}, "
                    + "POST keys/{fingerprint}/{disable|enable|test|reset}, each with ?route=<route>");
            return;
        }
        Optional<ProxyRoute> route = route(request);
        if (route.isEmpty()) {
            action.refuse(404, noSuchRoute(request));
            return;
        }
        if (add) {
            KeyAdds.add(route.get(), request, action);
            return;
        }
        if (!AdminAnswers.isFingerprint(fingerprint)) {
            action.refuse(404, "'" + fingerprint + "' is not a fingerprint: a key is addressed by the first "
                    + KeyFingerprint.LENGTH + " hex digits of its SHA-256, as GET keys?route=<route> lists them");
            return;
        }
        Optional<Key> key = route.get().pool().find(fingerprint);
        if (key.isEmpty()) {
            action.refuse(404, "no key of route '" + routeName + "' has the fingerprint '" + fingerprint + "'");
            return;
        }
        KeyActions.run(route.get(), key.get(), verb, request, action);
    }

    /** Why no route was found, with the names that would have been: an administrator's typo is common. */
    private String noSuchRoute(HttpServletRequest request) {
        String name = request.getParameter("route");
        String names = RouteRegistry.of(getServletContext()).routes().stream()
                .filter(candidate -> candidate.keys().isPresent()).map(candidate -> candidate.provider().name())
                .collect(Collectors.joining(", "));
        return (name == null || name.isEmpty() ? "the parameter route is missing (?route=<route>)"
                : "no route with a key pool is named '" + AdminAnswers.printable(name) + "'")
                + "; routes with a key pool: " + (names.isEmpty() ? "none" : names);
    }

    private Optional<ProxyRoute> route(HttpServletRequest request) {
        String name = request.getParameter("route");
        return RouteRegistry.of(getServletContext()).routes().stream()
                .filter(candidate -> candidate.provider().name().equals(name) && candidate.keys().isPresent())
                .findFirst();
    }

    /** The JSON object of an answer, for tests. */
    static JsonObject object(String json) {
        return Jsons.reader(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .readObject();
    }
}
