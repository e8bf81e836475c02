package dev.keyfailover.settings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * One client token of a route (behaviour.md §13): its name, the SHA-256 of the token (the token
 * itself is not kept) and the routes it may use (empty: every route). {@link #toString()} names it only.
 *
 * @param name the client's name: in logs, dumps and the {@code client} tag of the request meters
 * @param digest the SHA-256 of the token's UTF-8 bytes
 * @param routes the names of the routes the token may use; empty for all
 */
public record ClientToken(String name, byte[] digest, Set<String> routes) {

    public ClientToken {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a client token's digest is a SHA-256: 32 bytes");
        }
        digest = digest.clone();
        routes = Set.copyOf(routes);
    }

    /** Whether the token may be used on the route of this name. */
    public boolean allows(String route) {
        return routes.isEmpty() || routes.contains(route);
    }

    /** Whether a presented credential of this SHA-256 is this token, compared in constant time. */
    public boolean matches(byte[] credentialDigest) {
        return MessageDigest.isEqual(digest, credentialDigest);
    }

    /** The SHA-256 of a credential, as tokens keep it. */
    public static byte[] sha256(String credential) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "ClientToken[" + name + (routes.isEmpty() ? "" : ", routes " + routes) + "]";
    }
}
