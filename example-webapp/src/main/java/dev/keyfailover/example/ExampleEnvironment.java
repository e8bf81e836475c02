package dev.keyfailover.example;

import jakarta.servlet.ServletContext;

/** The example's settings: an environment variable, else the context-param of the same name (for tests). */
final class ExampleEnvironment {

    private ExampleEnvironment() {
    }

    /** The variable's value, else the context-param's; unset or blank is {@code null}. */
    static String value(ServletContext context, String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = context.getInitParameter(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }
}
