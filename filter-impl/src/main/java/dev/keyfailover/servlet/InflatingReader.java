package dev.keyfailover.servlet;

import java.util.Arrays;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import dev.keyfailover.chain.Usage;
import dev.keyfailover.chain.UsageReader;

/**
 * Reads the usage of a compressed answer (behaviour.md §16): the client gets upstream's bytes as
 * sent (§8), the {@link UsageReader} gets them inflated as they pass. The SDKs send
 * {@code Accept-Encoding: gzip} and providers compress, so without this a token budget would count
 * nothing for them. {@code gzip} and {@code deflate}, as {@code ErrorBodies} decodes; bytes that do
 * not inflate stop the reading, never the answer: the usage is what was read until then.
 */
final class InflatingReader {

    /** A gzip header's optional name, comment and extra field: longer is no answer worth reading. */
    private static final int MAX_HEADER = 4096;
    private static final int GZIP_FLAG_CRC = 2;
    private static final int GZIP_FLAG_EXTRA = 4;
    private static final int GZIP_FLAG_NAME = 8;
    private static final int GZIP_FLAG_COMMENT = 16;

    private final UsageReader reader;
    /** {@code null} while a gzip header is still being read, and after the end. */
    private Inflater inflater;
    /** The gzip header read so far; {@code null} once skipped (or for deflate). */
    private byte[] header;
    private int headerLength;
    private final byte[] inflated = new byte[4096];
    private boolean done;

    private InflatingReader(UsageReader reader, boolean gzip) {
        this.reader = reader;
        if (gzip) {
            header = new byte[64];
        } else {
            inflater = new Inflater();
        }
    }

    /** A reader of an answer in that content coding, or {@code null} when it is none this can inflate. */
    static InflatingReader of(String encoding, UsageReader reader) {
        return switch (encoding.trim().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> new InflatingReader(reader, true);
            case "deflate" -> new InflatingReader(reader, false);
            default -> null;
        };
    }

    /** The next compressed bytes of the answer. */
    void read(byte[] b, int off, int len) {
        if (done) {
            return;
        }
        try {
            if (header != null) {
                readHeader(b, off, len);
            } else {
                inflate(b, off, len);
            }
        } catch (DataFormatException | RuntimeException e) {
            end();
        }
    }

    /** What the answer said it used, as far as it was read; the inflater's memory is freed. */
    Usage usage() {
        end();
        return reader.usage();
    }

    private void readHeader(byte[] b, int off, int len) throws DataFormatException {
        if (headerLength + len > header.length) {
            header = Arrays.copyOf(header, Math.max(headerLength + len, 2 * header.length));
        }
        System.arraycopy(b, off, header, headerLength, len);
        headerLength += len;
        int start = headerEnd(header, headerLength);
        if (start < 0) {
            if (headerLength > MAX_HEADER) {
                end();
            }
            return;
        }
        byte[] rest = header;
        header = null;
        inflater = new Inflater(true);
        inflate(rest, start, headerLength - start);
    }

    private void inflate(byte[] b, int off, int len) throws DataFormatException {
        // Every byte given is inflated before returning: the caller reuses its buffer.
        inflater.setInput(b, off, len);
        while (!inflater.finished()) {
            int n = inflater.inflate(inflated);
            if (n > 0) {
                reader.read(inflated, 0, n);
            } else if (inflater.needsInput() || inflater.needsDictionary()) {
                return;
            }
        }
        end();
    }

    private void end() {
        done = true;
        header = null;
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** Where the deflate data starts after a gzip header (RFC 1952), or -1 when the header is not whole yet. */
    private static int headerEnd(byte[] h, int n) throws DataFormatException {
        if (n < 10) {
            return -1;
        }
        if ((h[0] & 0xff) != 0x1f || (h[1] & 0xff) != 0x8b || h[2] != 8) {
            throw new DataFormatException("not gzip");
        }
        int flags = h[3] & 0xff;
        int at = 10;
        if ((flags & GZIP_FLAG_EXTRA) != 0) {
            if (n < at + 2) {
                return -1;
            }
            at += 2 + ((h[at] & 0xff) | (h[at + 1] & 0xff) << 8);
        }
        if ((flags & GZIP_FLAG_NAME) != 0) {
            at = afterZero(h, at, n);
        }
        if ((flags & GZIP_FLAG_COMMENT) != 0) {
            at = afterZero(h, at, n);
        }
        if ((flags & GZIP_FLAG_CRC) != 0 && at >= 0) {
            at += 2;
        }
        return at >= 0 && at <= n ? at : -1;
    }

    private static int afterZero(byte[] h, int from, int n) {
        if (from < 0) {
            return -1;
        }
        for (int i = from; i < n; i++) {
            if (h[i] == 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
