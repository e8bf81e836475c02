package dev.keyfailover.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of a keys file (behaviour.md §14): one key a line (commas also separate keys, as in
 * {@code keys}); blank lines are skipped. A key holding whitespace or a control character, a key
 * given twice, or no key at all makes the whole file invalid; the message names the line, never
 * the key.
 */
public final class KeysFileFormat {

    private KeysFileFormat() {
    }

    /** @throws IllegalArgumentException naming the first bad line */
    public static List<String> parse(String text) {
        List<String> keys = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = text.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            for (String part : lines[i].split(",", -1)) {
                String key = part.strip();
                if (key.isEmpty()) {
                    continue;
                }
                String problem = problem(key);
                if (problem != null) {
                    throw new IllegalArgumentException("line " + line + ": the key " + problem);
                }
                Integer earlier = seen.putIfAbsent(key, line);
                if (earlier != null) {
                    throw new IllegalArgumentException("line " + line + ": the key repeats the key on line " + earlier);
                }
                keys.add(key);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the file holds no key");
        }
        return List.copyOf(keys);
    }

    /** What is wrong with one key as given (already stripped), or {@code null}: whitespace or a control character inside. */
    public static String problem(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                return "holds a control character (at character " + (i + 1) + ")";
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return "holds whitespace (at character " + (i + 1) + ")";
            }
        }
        return null;
    }
}
