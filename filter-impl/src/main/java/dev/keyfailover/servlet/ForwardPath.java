package dev.keyfailover.servlet;

import java.util.Locale;

/**
 * Checks the part of the client's path after the route prefix, kept encoded as sent (behaviour.md
 * §8), so that it can only ever name something below the provider's base URL.
 */
final class ForwardPath {

    private ForwardPath() {
    }

    /**
     * @param rawRest the encoded path after the prefix, empty or starting with {@code /}
     * @return the path to append to the base URL
     * @throws IllegalArgumentException when it starts with {@code //}, holds dot segments (plain or
     *     encoded), backslashes, control characters or characters a URI cannot carry
     */
    static String check(String rawRest) {
        if (rawRest.isEmpty()) {
            return rawRest;
        }
        if (rawRest.charAt(0) != '/') {
            throw new IllegalArgumentException("path must start with '/'");
        }
        if (rawRest.startsWith("//")) {
            // Appended to a base URL without a path, "//host/x" is a network-path reference:
            // some upstream servers would read "host" as the authority.
            throw new IllegalArgumentException("path must not start with an empty segment");
        }
        for (int i = 0; i < rawRest.length(); i++) {
            char c = rawRest.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '"' || c == '<' || c == '>' || c == '^' || c == '`'
                    || c == '{' || c == '|' || c == '}' || c == '#' || c == '?') {
                throw new IllegalArgumentException("path holds a character that must be percent-encoded");
            }
        }
        if (rawRest.indexOf('.') < 0 && rawRest.indexOf('%') < 0) {
            return rawRest; // no dot segment without a '.' or an encoded one: the common path costs no copies
        }
        String decodedDots = rawRest.toLowerCase(Locale.ROOT).replace("%2e", ".").replace("%2f", "/").replace("%5c", "/");
        for (String segment : decodedDots.split("/", -1)) {
            String name = segment.contains(";") ? segment.substring(0, segment.indexOf(';')) : segment;
            if (name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("path holds a dot segment");
            }
        }
        return rawRest;
    }
}
