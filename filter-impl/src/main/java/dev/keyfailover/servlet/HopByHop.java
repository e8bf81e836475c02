package dev.keyfailover.servlet;

import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The headers that belong to one connection and are never forwarded, either way (SPEC section 8):
 * the fixed list plus whatever {@code Connection} names.
 */
final class HopByHop {

    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private HopByHop() {
    }

    /**
     * The lower-case names to drop for a message whose {@code Connection} headers are given. Read
     * only: the fixed list itself, without a copy, when {@code Connection} names nothing more (the
     * usual case on the per-request path).
     */
    static Set<String> namesToDrop(Enumeration<String> connectionHeaders) {
        return connectionHeaders == null ? ALWAYS : namesToDrop(Collections.list(connectionHeaders));
    }

    /** As {@link #namesToDrop(Enumeration)}, for an upstream message's {@code Connection} values. */
    static Set<String> namesToDrop(Iterable<String> connectionValues) {
        Set<String> drop = ALWAYS;
        for (String value : connectionValues) {
            if (value == null) {
                continue;
            }
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !drop.contains(name)) {
                    if (drop == ALWAYS) {
                        drop = new HashSet<>(ALWAYS);
                    }
                    drop.add(name);
                }
            }
        }
        return drop;
    }
}
