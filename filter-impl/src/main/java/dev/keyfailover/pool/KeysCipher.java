package dev.keyfailover.pool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a key added at run time travels through the shared store (behaviour.md §14, across nodes):
 * AES-256-GCM, a random 12-byte nonce per entry, the route and the key's SHA-256 bound in as
 * associated data (an entry cannot be moved to another key or route), the plaintext checked against
 * that SHA-256 once opened. The AES key comes from the route's {@code keysSecret} by HKDF-SHA256
 * (RFC 5869, fixed salt and info): every node derives the same key without sharing a salt, and the
 * secret itself never keys the cipher directly. No stretching (PBKDF2): the secret must be at least
 * {@value #MIN_LENGTH} characters, meant as random as an admin token.
 */
public final class KeysCipher {

    /** The fewest characters {@code keysSecret} may have. */
    public static final int MIN_LENGTH = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] SALT = "keyfailover keysSecret v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INFO = "keyfailover run-time keys AES-256-GCM".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private KeysCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * @throws IllegalArgumentException when the secret is shorter than {@value #MIN_LENGTH}
     *     characters or holds whitespace; the message never holds the secret
     */
    public static KeysCipher of(String secret) {
        if (secret.length() < MIN_LENGTH || secret.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("must be at least " + MIN_LENGTH
                    + " characters without whitespace (e.g. the output of 'openssl rand -hex 32'), the same on every node");
        }
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(SALT, "HmacSHA256"));
            byte[] pseudoRandom = extract.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(pseudoRandom, "HmacSHA256"));
            expand.update(INFO);
            byte[] okm = expand.doFinal(new byte[] {1});
            Arrays.fill(pseudoRandom, (byte) 0);
            return new KeysCipher(okm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    /**
     * The key and its label, sealed for the store: base64 of nonce and ciphertext.
     *
     * @param route the route's provider name, bound into the entry
     */
    public String seal(String route, String secret, String label) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, route, KeyFingerprint.digest(secret));
            byte[] sealed = cipher.doFinal((secret + '\n' + (label == null ? "" : label)).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java platform", e);
        }
    }

    /**
     * A key opened from the store, with its label: kept by the route's key list, which builds the
     * pool's entries from it and, on a writable keys file, writes it back (behaviour.md §14).
     * {@link #toString()} shows the hint only.
     */
    public record Opened(String key, String label) {
        @Override
        public String toString() {
            return "Opened[" + KeyHint.of(key) + "]";
        }
    }

    /**
     * Opens an entry of the store: the key with its label.
     *
     * @param digest the key's SHA-256 in hex, as the entry names it
     * @throws Unreadable when the entry was sealed under another secret, for another key or route,
     *     or changed; the message names the fingerprint only
     */
    public Opened open(String route, String digest, String sealed) throws Unreadable {
        String fingerprint = digest.substring(0, Math.min(digest.length(), KeyFingerprint.LENGTH));
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new Unreadable(fingerprint, "not base64");
        }
        if (bytes.length <= NONCE_BYTES + TAG_BITS / 8) {
            throw new Unreadable(fingerprint, "too short");
        }
        String plain;
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES), route, digest);
            plain = new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new Unreadable(fingerprint, "sealed under another keysSecret, or changed");
        } catch (GeneralSecurityException e) {
            throw new Unreadable(fingerprint, e.getClass().getSimpleName());
        }
        int end = plain.indexOf('\n');
        String secret = end < 0 ? plain : plain.substring(0, end);
        if (!KeyFingerprint.digest(secret).equals(digest)) {
            throw new Unreadable(fingerprint, "its key does not match its fingerprint");
        }
        return new Opened(secret, end < 0 ? "" : plain.substring(end + 1));
    }

    private Cipher cipher(int mode, byte[] nonce, String route, String digest) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(("keyfailover|" + route + '|' + digest).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    @Override
    public String toString() {
        return "KeysCipher[AES-256-GCM]";
    }

    /** An entry this node cannot open; the message names the key's fingerprint, never the key. */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String fingerprint, String why) {
            super("the run-time key " + fingerprint + " cannot be decrypted: " + why);
        }
    }
}
