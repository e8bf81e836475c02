package dev.keyfailover.pool;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A key's fingerprint (behaviour.md §14): the first 16 hex digits of its SHA-256, safe to show. */
public final class KeyFingerprint {

    /** How many hex digits a fingerprint has. */
    public static final int LENGTH = 16;

    private KeyFingerprint() {
    }

    public static String of(String secret) {
        return digest(secret).substring(0, LENGTH);
    }

    /** The whole SHA-256 in hex, as the shared store keeps it (behaviour.md §12). */
    public static String digest(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** A pool key's whole SHA-256 in hex (behaviour.md §14: disabled and removed keys travel so). */
    public static String digest(Key key) {
        return digest(key.secret());
    }
}
