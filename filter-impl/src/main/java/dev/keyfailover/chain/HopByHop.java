package dev.keyfailover.chain;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The headers that belong to one connection and are never forwarded, either way (behaviour.md §8):
 * the fixed list plus whatever {@code Connection} names.
 */
final class HopByHop {

    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private HopByHop() {
    }

    /** The fixed list: what {@link #namesToDrop} gives, this very set, when {@code Connection} names nothing more. */
    static Set<String> always() {
        return ALWAYS;
    }

    /**
     * The lower-case names to drop for a message with these {@code Connection} values. Read only:
     * the fixed list itself, without a copy, when {@code Connection} names nothing more (the usual
     * case on the per-request path).
     */
    static Set<String> namesToDrop(Iterator<String> connectionValues) {
        Set<String> drop = ALWAYS;
        while (connectionValues.hasNext()) {
            String value = connectionValues.next();
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
