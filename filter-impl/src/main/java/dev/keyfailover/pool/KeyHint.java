package dev.keyfailover.pool;

/**
 * The only form in which a key may appear in logs, dumps, status pages and messages: a few
 * characters at each end, such as {@code sk-p…9xQa}; short keys are fully masked.
 */
public final class KeyHint {

    private static final String FULLY_MASKED = "****";

    private KeyHint() {
    }

    /** The masked hint of a secret. */
    public static String of(String secret) {
        if (secret == null) {
            return FULLY_MASKED;
        }
        // Show at most a sixth of the key at each end, and never more than four characters.
        int shown = Math.min(4, secret.length() / 6);
        if (shown < 2) {
            return FULLY_MASKED;
        }
        return secret.substring(0, shown) + "…" + secret.substring(secret.length() - shown);
    }
}
