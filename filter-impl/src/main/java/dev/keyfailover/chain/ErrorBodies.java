package dev.keyfailover.chain;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Reads the start of a failed answer's body for its judgement (behaviour.md §9), bounded, and
 * puts it back: the answer's entity then replays what was read before the rest, so a client that
 * gets this answer after all gets every byte.
 */
final class ErrorBodies {

    /** Error bodies are small; what matters is at their start. */
    static final int LIMIT = 64 * 1024;

    private ErrorBodies() {
    }

    /**
     * The first {@link #LIMIT} bytes of the body as text (see {@link #text}), or {@code null} for an
     * answer without one.
     */
    static String peek(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return null;
        }
        InputStream content = entity.getContent();
        if (content == null) {
            return null;
        }
        byte[] head = content.readNBytes(LIMIT);
        response.setEntity(new Peeked(entity, head, content));
        return text(head, entity.getContentEncoding());
    }

    /**
     * The text of the bytes read: decoded from {@code gzip} or {@code deflate} first (clients such
     * as the official SDKs accept those, and the proxy passes their {@code Accept-Encoding} on), at
     * most {@link #LIMIT} bytes of it, as far as the bytes read go; {@code null} for another
     * encoding, which is then not judged by its body. The client still gets the bytes as sent.
     */
    private static String text(byte[] head, String contentEncoding) {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        InputStream decoded;
        try {
            switch (encoding) {
                case "":
                case "identity":
                    return new String(head, StandardCharsets.UTF_8);
                case "gzip":
                case "x-gzip":
                    decoded = new GZIPInputStream(new ByteArrayInputStream(head));
                    break;
                case "deflate":
                    decoded = new InflaterInputStream(new ByteArrayInputStream(head));
                    break;
                default:
                    return null;
            }
        } catch (IOException e) {
            return null;
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (decoded) {
            int n;
            while (text.size() < LIMIT
                    && (n = decoded.read(buffer, 0, Math.min(buffer.length, LIMIT - text.size()))) >= 0) {
                text.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // Cut at the read limit, or not what it claims to be: what was decoded so far stands.
        }
        return new String(text.toByteArray(), StandardCharsets.UTF_8);
    }

    /** The original entity, its first bytes already read and replayed first. */
    private static final class Peeked extends HttpEntityWrapper {
        private final byte[] head;
        private final InputStream rest;

        Peeked(HttpEntity wrapped, byte[] head, InputStream rest) {
            super(wrapped);
            this.head = head;
            this.rest = rest;
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }

        @Override
        public InputStream getContent() {
            return new SequenceInputStream(new ByteArrayInputStream(head), rest);
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(head);
            rest.transferTo(out);
        }
    }
}
