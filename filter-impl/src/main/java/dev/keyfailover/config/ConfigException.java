package dev.keyfailover.config;

/**
 * A configuration value is missing or invalid. The message names where (servlet or filter),
 * which parameter and what is wrong; it never contains a key.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
