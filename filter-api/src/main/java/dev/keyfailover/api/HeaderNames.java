package dev.keyfailover.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Comma-separated lists of header names, checked against the token grammar of RFC 9110. */
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

    /** The names in lower case, for case-insensitive lookups on the request path. */
    public static Set<String> lowerCase(Collection<String> names) {
        Set<String> lower = new HashSet<>();
        for (String name : names) {
            lower.add(name.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(lower);
    }
}
