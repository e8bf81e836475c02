package dev.keyfailover.pool;

import java.util.Locale;

/** Where a key of a pool came from (behaviour.md §14); deploy-time keys may be disabled, never removed. */
public enum KeySource {
    /** The route's {@code keys} (init-params, environment). */
    DEPLOY,
    /** The route's watched {@code keysFile}. */
    FILE,
    /** Added through the admin API and not written to a file. */
    API;

    /** The lower-case name shown by the admin API. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
