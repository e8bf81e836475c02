package dev.keyfailover.bench;

import java.nio.charset.StandardCharsets;

/**
 * A request body described without holding it: prefix, {@code fillerBytes} of 'a', suffix; {@link MiniHttp} writes
 * the filler from one shared buffer, so a 20 MiB upload costs the load generator no 20 MiB array.
 */
record RequestBody(byte[] prefix, long fillerBytes, byte[] suffix) {

    long length() {
        return prefix.length + fillerBytes + suffix.length;
    }

    /** A JSON chat request of exactly {@code size} bytes. */
    static RequestBody chat(long size) {
        byte[] prefix = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\""
                .getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "\"}]}".getBytes(StandardCharsets.US_ASCII);
        return new RequestBody(prefix, size - prefix.length - suffix.length, suffix);
    }
}
