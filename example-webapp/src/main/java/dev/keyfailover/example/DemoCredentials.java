package dev.keyfailover.example;

import jakarta.servlet.http.HttpServletRequest;

/** Where the demo upstream finds the key a request carries, as the providers themselves accept it. */
final class DemoCredentials {

    private DemoCredentials() {
    }

    /**
     * Anthropic takes the key as {@code x-api-key} or as {@code Authorization: Bearer} (what the
     * newest SDKs send, with {@code anthropic-version: 2026-10-21}); the first when both come.
     */
    static String anthropicKey(HttpServletRequest request) {
        String key = request.getHeader("x-api-key");
        return key != null ? key : bearer(request);
    }

    /** The key of {@code Authorization: Bearer <key>}, or null. */
    static String bearer(HttpServletRequest request) {
        String authorization = request.getHeader("authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }
}
