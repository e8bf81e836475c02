package dev.keyfailover.chain;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.keyfailover.settings.BodyLimits;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.io.entity.FileEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client body read once and made repeatable, so every attempt sends the same bytes: in memory
 * up to a threshold, else in a temp file that {@link #close()} deletes.
 */
final class ReplayableBody implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayableBody.class);
    private static final ReplayableBody NONE = new ReplayableBody(null, null, null);

    private final HttpEntity entity;
    private final byte[] bytes;
    private final Path spillFile;

    private ReplayableBody(HttpEntity entity, byte[] bytes, Path spillFile) {
        this.entity = entity;
        this.bytes = bytes;
        this.spillFile = spillFile;
    }

    private static ReplayableBody inMemory(byte[] bytes, String type, String encoding) {
        return new ReplayableBody(new InMemoryEntity(bytes, type, encoding), bytes, null);
    }

    /** The body when it is held in memory (to be read, never changed); {@code null} when spilled or absent. */
    byte[] bytes() {
        return bytes;
    }

    /** The file a large body spilled to; {@code null} when in memory or absent. */
    Path spillFile() {
        return spillFile;
    }

    /** The repeatable entity, or {@code null} for a request without a body. */
    HttpEntity entity() {
        return entity;
    }

    /**
     * Reads the client's entity once.
     *
     * @throws BodyTooLargeException when it exceeds the limit; nothing is kept then
     */
    static ReplayableBody of(HttpEntity original, BodyLimits limits) throws IOException {
        if (original == null) {
            return NONE;
        }
        if (original.getContentLength() > limits.maxBytes()) {
            throw new BodyTooLargeException(limits.maxBytes());
        }
        // The client's Content-Type as it wrote it: parsing and formatting it again costs per request.
        String type = original.getContentType();
        String encoding = original.getContentEncoding();
        try (InputStream in = original.getContent()) {
            int threshold = (int) Math.min(limits.memoryThreshold(), Integer.MAX_VALUE - 16);
            long length = original.getContentLength();
            if (length >= 0 && length <= threshold) {
                // Known and small: one array of exactly its size (the common case, kept cheap).
                byte[] body = in.readNBytes((int) length);
                if (body.length < length) {
                    throw new EOFException("request body ended before its Content-Length");
                }
                return inMemory(body, type, encoding);
            }
            byte[] head = in.readNBytes(threshold + 1);
            if (head.length <= threshold) {
                if (head.length > limits.maxBytes()) {
                    throw new BodyTooLargeException(limits.maxBytes());
                }
                // A known length is sent as Content-Length: some upstreams refuse chunked bodies.
                return inMemory(head, type, encoding);
            }
            return spill(head, in, limits, type, encoding);
        }
    }

    private static ReplayableBody spill(byte[] head, InputStream rest, BodyLimits limits, String type,
                                        String encoding) throws IOException {
        Path file = limits.spillDirectory() == null
                ? Files.createTempFile("keyfailover-body-", ".bin")
                : Files.createTempFile(limits.spillDirectory(), "keyfailover-body-", ".bin");
        try {
            long total = head.length;
            if (total > limits.maxBytes()) {
                throw new BodyTooLargeException(limits.maxBytes());
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(head);
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = rest.read(buffer)) >= 0) {
                    total += n;
                    if (total > limits.maxBytes()) {
                        throw new BodyTooLargeException(limits.maxBytes());
                    }
                    out.write(buffer, 0, n);
                }
            }
            ContentType contentType = type == null ? null : ContentType.parseLenient(type);
            return new ReplayableBody(new FileEntity(file.toFile(), contentType, encoding), null, file);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** A body held in memory, sent again for every attempt. */
    private static final class InMemoryEntity extends AbstractHttpEntity {
        private final byte[] bytes;

        InMemoryEntity(byte[] bytes, String contentType, String contentEncoding) {
            super(contentType, contentEncoding, false);
            this.bytes = bytes;
        }

        @Override
        public InputStream getContent() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long getContentLength() {
            return bytes.length;
        }

        @Override
        public boolean isRepeatable() {
            return true;
        }

        @Override
        public boolean isStreaming() {
            return false;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
        }

        @Override
        public void close() {
        }
    }

    /** Deletes the spill file, if any. */
    @Override
    public void close() {
        if (spillFile != null) {
            deleteQuietly(spillFile);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete spilled request body {}: {}", file, e.toString());
        }
    }
}
