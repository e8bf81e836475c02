package dev.keyfailover.servlet;

import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The headers that belong to one connection and are never forwarded, either way (SPEC section 8):
 * the fixed list plus whatever {@code Connection} names.
 */
final class HopByHop {

    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private HopByHop() {
    }

    /** The lower-case names to drop for a message whose {@code Connection} headers are given. */
    static Set<String> namesToDrop(Enumeration<String> connectionHeaders) {
        Set<String> drop = new TreeSet<>(ALWAYS);
        if (connectionHeaders != null) {
            while (connectionHeaders.hasMoreElements()) {
                addTokens(connectionHeaders.nextElement(), drop);
            }
        }
        return drop;
    }

    /** As {@link #namesToDrop(Enumeration)}, for an upstream message's {@code Connection} values. */
    static Set<String> namesToDrop(Iterable<String> connectionValues) {
        Set<String> drop = new TreeSet<>(ALWAYS);
        for (String value : connectionValues) {
            addTokens(value, drop);
        }
        return drop;
    }

    private static void addTokens(String value, Set<String> drop) {
        if (value == null) {
            return;
        }
        for (String token : value.split(",")) {
            String name = token.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) {
                drop.add(name);
            }
        }
    }
}
