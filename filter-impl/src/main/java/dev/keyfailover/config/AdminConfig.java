package dev.keyfailover.config;

import java.util.Locale;
import java.util.Optional;

import dev.keyfailover.settings.AdminSettings;
import dev.keyfailover.settings.ClientToken;

/**
 * Reads the status surface's settings (behaviour.md §13) from a servlet's init-params, with
 * context-params {@code keyfailover.<name>} as defaults: {@code adminToken} (at least 32
 * characters), {@code statusAccess} ({@code protected} or {@code public}), {@code adminAccess}
 * ({@code protected} or {@code open}). Errors name the parameter, never the token.
 */
public final class AdminConfig {

    private AdminConfig() {
    }

    public static AdminSettings parse(String where, ParameterSource parameters, Placeholders placeholders)
            throws ConfigException {
        ParameterReader reader = new ParameterReader(where, where, parameters, placeholders);
        Optional<String> token = reader.optional("adminToken");
        if (token.isPresent() && (token.get().length() < AdminSettings.MIN_TOKEN_LENGTH
                || token.get().chars().anyMatch(c -> c <= ' ' || c == 0x7f))) {
            throw reader.error("adminToken", "must be at least " + AdminSettings.MIN_TOKEN_LENGTH
                    + " characters without whitespace (e.g. the output of 'openssl rand -hex 32')");
        }
        boolean statusPublic = reader.parse("statusAccess", value -> choice(value, "protected", "public"))
                .orElse(false);
        boolean actionsOpen = reader.parse("adminAccess", value -> choice(value, "protected", "open")).orElse(false);
        return new AdminSettings(token.map(ClientToken::sha256), statusPublic, actionsOpen);
    }

    /** {@code false} for the first value, {@code true} for the second. */
    private static boolean choice(String value, String first, String second) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals(first) || wanted.equals(second)) {
            return wanted.equals(second);
        }
        throw new IllegalArgumentException("must be '" + first + "' or '" + second + "', not '" + value + "'");
    }
}
