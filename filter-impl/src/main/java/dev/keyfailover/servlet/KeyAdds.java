package dev.keyfailover.servlet;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import dev.keyfailover.chain.Jsons;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeyHint;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.http.HttpServletRequest;

/** The admin API's add (behaviour.md §14): the body read within its bounds, the keys added, the answer and audit line. */
final class KeyAdds {

    /** How many keys an audit line names; the rest are counted. */
    private static final int AUDITED = 20;

    private KeyAdds() {
    }

    static void add(ProxyRoute route, HttpServletRequest request, AdminAction action) throws IOException {
        KeysBody body;
        try {
            body = KeysBody.read(request);
        } catch (KeysBody.Refused e) {
            action.refuse(e.status, e.getMessage());
            return;
        }
        RouteKeys keys = route.keys().orElseThrow();
        RouteKeys.Added added;
        try {
            added = keys.sharing().isPresent() ? keys.sharing().get().add(body.keys, body.labels)
                    : keys.add(body.keys, body.labels);
        } catch (SharedRouteKeys.Refused e) {
            action.refuse(e.status, e.getMessage());
            return;
        }
        JsonArrayBuilder fingerprints = Jsons.arrayBuilder();
        added.added().forEach(fingerprints::add);
        JsonArrayBuilder duplicates = Jsons.arrayBuilder();
        added.duplicates().forEach(duplicates::add);
        action.done(named(body, new HashSet<>(added.added())), added.added().size() + " added, "
                        + added.duplicates().size() + " duplicate(s), persisted " + added.persisted()
                        + ", shared " + keys.sharing().isPresent(),
                Jsons.objectBuilder().add("added", fingerprints).add("duplicates", duplicates)
                        .add("persisted", added.persisted()).add("shared", keys.sharing().isPresent()).build());
    }

    /** The added keys as {@code hint fingerprint}, the first {@value #AUDITED} of them. */
    private static String named(KeysBody body, Set<String> added) {
        StringBuilder text = new StringBuilder();
        int named = 0;
        for (String key : body.keys) {
            String fingerprint = KeyFingerprint.of(key);
            if (added.remove(fingerprint)) {
                if (named++ < AUDITED) {
                    text.append(text.length() == 0 ? "" : ", ").append(KeyHint.of(key)).append(' ').append(fingerprint);
                }
            }
        }
        if (named > AUDITED) {
            text.append(" and ").append(named - AUDITED).append(" more");
        }
        return named == 0 ? "no new key" : text.toString();
    }
}
