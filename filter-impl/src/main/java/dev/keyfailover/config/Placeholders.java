package dev.keyfailover.config;

import java.util.function.UnaryOperator;

/**
 * Resolves references in configuration values: {@code ${env:NAME}} (environment),
 * {@code ${sys:NAME}} (system property), {@code ${NAME}} (environment, then system property), each
 * with an optional {@code :-default} that may itself hold references and that, as in the shell,
 * also replaces a value that is set but empty. A reference to an unset name
 * without a default is an error naming it. {@code $${} escapes a literal {@code ${}.
 */
public final class Placeholders {

    private final UnaryOperator<String> environment;
    private final UnaryOperator<String> systemProperties;

    public Placeholders(UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
        this.environment = environment;
        this.systemProperties = systemProperties;
    }

    /** Resolves against the real environment and system properties. */
    public static Placeholders system() {
        return new Placeholders(System::getenv, System::getProperty);
    }

    /**
     * @throws IllegalArgumentException naming the unresolved reference, or a malformed one
     */
    public String resolve(String value) {
        if (value == null || !value.contains("${")) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (value.startsWith("${", i)) {
                int end = closingBrace(value, i + 2);
                out.append(lookup(value.substring(i + 2, end)));
                i = end + 1;
            } else {
                out.append(value.charAt(i++));
            }
        }
        return out.toString();
    }

    private static int closingBrace(String value, int from) {
        int depth = 1;
        for (int i = from; i < value.length(); i++) {
            if (value.startsWith("${", i)) {
                depth++;
                i++;
            } else if (value.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("has an unclosed '${' reference");
    }

    private String lookup(String reference) {
        int separator = reference.indexOf(":-");
        String name = separator < 0 ? reference : reference.substring(0, separator);
        // Messages name the reference only: its default may hold a key.
        String found;
        if (name.startsWith("env:")) {
            found = environment.apply(validName(name.substring(4), name));
        } else if (name.startsWith("sys:")) {
            found = systemProperties.apply(validName(name.substring(4), name));
        } else {
            String plain = validName(name, name);
            found = environment.apply(plain);
            if (found == null) {
                found = systemProperties.apply(plain);
            }
        }
        if (separator >= 0 && (found == null || found.isEmpty())) {
            // As in the shell: ":-" also replaces a value that is set but empty.
            return resolve(reference.substring(separator + 2));
        }
        if (found != null) {
            return found;
        }
        throw new IllegalArgumentException("${" + name + "} is not set and has no default");
    }

    private static String validName(String name, String reference) {
        if (name.isEmpty() || !name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new IllegalArgumentException("'${" + reference + "…}' is not a valid reference (names are letters, "
                    + "digits, '_', '.', '-')");
        }
        return name;
    }
}
