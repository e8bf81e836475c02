package dev.keyfailover.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Comma-separated lists of header names, checked against the token grammar of RFC 9110. Part of
 * the SPI so that a provider reads a header-list property of its own as the built-in ones do
 * ({@link ProviderSettings#headerNames}).
 */
public final class HeaderNames {

    private HeaderNames() {
    }

    /**
     * @throws IllegalArgumentException naming the first entry that is not a header name
     */
    public static List<String> parse(String value) {
        List<String> names = new ArrayList<>();
        for (String part : value.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new IllegalArgumentException("'" + name + "' is not a valid header name");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }
}
