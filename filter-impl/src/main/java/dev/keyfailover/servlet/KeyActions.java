package dev.keyfailover.servlet;

import java.io.IOException;

import dev.keyfailover.chain.Jsons;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyPool;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;

/** The admin API's actions on one key (behaviour.md §14): remove, disable, enable, test, reset. */
final class KeyActions {

    private KeyActions() {
    }

    static void run(ProxyRoute route, Key key, String verb, HttpServletRequest request, AdminAction action)
            throws IOException {
        try {
            act(route, key, verb, request, action);
        } catch (SharedRouteKeys.Refused e) {
            action.refuse(e.status, e.getMessage());
        }
    }

    private static void act(ProxyRoute route, Key key, String verb, HttpServletRequest request, AdminAction action)
            throws IOException, SharedRouteKeys.Refused {
        java.util.Optional<SharedRouteKeys> shared = route.keys().orElseThrow().sharing();
        String named = key.hint() + " " + key.fingerprint();
        KeyPool pool = route.pool();
        JsonObjectBuilder answer = Jsons.objectBuilder().add("fingerprint", key.fingerprint()).add("hint", key.hint());
        switch (verb) {
            case "remove" -> {
                RouteKeys.Removed removed = shared.isPresent() ? shared.get().remove(key)
                        : route.keys().orElseThrow().remove(key.fingerprint());
                String refusal = switch (removed.result()) {
                    case REMOVED -> null;
                    case NOT_FOUND -> "the key is no longer in the pool";
                    case DEPLOY_KEY -> "a key given at deploy time cannot be removed; disable it";
                    case LAST_KEY -> "the last key of a pool cannot be removed";
                };
                if (refusal == null) {
                    action.done(named, "removed, persisted " + removed.persisted() + ", shared " + shared.isPresent(),
                            answer.add("removed", true).add("persisted", removed.persisted())
                                    .add("shared", shared.isPresent()).build());
                } else {
                    action.refuse(removed.result() == RouteKeys.Removal.NOT_FOUND ? 404 : 409, refusal);
                }
            }
            case "disable", "enable" -> {
                boolean changed = shared.isPresent() ? shared.get().disable(key, verb.equals("disable"))
                        : pool.adminDisable(key, verb.equals("disable"));
                action.done(named, changed ? "done" : "no change",
                        answer.add("adminDisabled", key.membership().isAdminDisabled()).add("changed", changed).build());
            }
            case "reset" -> {
                boolean changed = route.resetKey(key);
                action.done(named, changed ? "done (was not valid)" : "done (already valid)",
                        answer.add("changed", changed).build());
            }
            case "test" -> test(route, key, request, action, named, answer);
            default -> action.refuse(404, "a key's actions are disable, enable, test and reset");
        }
    }

    private static void test(ProxyRoute route, Key key, HttpServletRequest request, AdminAction action, String named,
                             JsonObjectBuilder answer) throws IOException {
        String path = request.getParameter("path") == null ? KeyProbe.defaultPath(route) : request.getParameter("path");
        if (!path.matches("/[A-Za-z0-9._~/-]{0,200}")) {
            action.refuse(400, "path must be a plain path starting with /");
            return;
        }
        String server = request.getScheme() + "://localhost:" + request.getLocalPort();
        try {
            int status = KeyProbe.probe(route, key, path, server);
            action.done(named, "upstream answered " + status, answer.add("status", status).add("path", path).build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            action.refuse(502, "the test was interrupted");
        } catch (IOException | IllegalArgumentException e) {
            action.refuse(502, "the test reached no answer (" + e.getClass().getSimpleName() + ")");
        }
    }
}
