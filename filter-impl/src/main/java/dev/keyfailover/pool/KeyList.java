package dev.keyfailover.pool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The one rule for a list of pool keys: none blank, none repeated. Messages name indexes, never keys. */
public final class KeyList {

    private KeyList() {
    }

    /** @throws IllegalArgumentException naming the index of the first blank or repeated key */
    public static void check(List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a key pool needs at least one key");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < secrets.size(); i++) {
            String secret = secrets.get(i);
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("the key at index " + i + " is blank");
            }
            Integer earlier = seen.putIfAbsent(secret, i);
            if (earlier != null) {
                throw new IllegalArgumentException("the key at index " + i + " repeats the key at index " + earlier);
            }
        }
    }
}
