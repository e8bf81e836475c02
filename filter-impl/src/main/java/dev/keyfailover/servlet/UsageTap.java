package dev.keyfailover.servlet;

import java.io.IOException;

import dev.keyfailover.chain.Exchange;
import dev.keyfailover.chain.RequestUsage;
import dev.keyfailover.chain.Usage;
import dev.keyfailover.chain.UsageReader;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;

/**
 * Where an answer's bytes pass on their way to the client (behaviour.md §16): an answer a pool key
 * served is read for its usage ({@link UsageReader}) as it passes, and, when the proxy asked an
 * OpenAI stream for a usage chunk the client did not ask for, that chunk is dropped
 * ({@link UsageChunkFilter}). A compressed answer is read inflated ({@link InflatingReader}) and
 * passes as sent: its events cannot be told apart in the compressed bytes, so none is held or dropped.
 * Any other answer passes untouched.
 */
final class UsageTap {

    private static final String EVENT_STREAM = "text/event-stream";

    /** Passes bytes on, reads nothing. */
    static final UsageTap NONE = new UsageTap(null, null, null);

    private final UsageReader reader;
    /** Reads for {@link #reader} when the answer is compressed; {@code null} otherwise. */
    private final InflatingReader inflating;
    private final UsageChunkFilter filter;

    private UsageTap(UsageReader reader, InflatingReader inflating, UsageChunkFilter filter) {
        this.reader = reader;
        this.inflating = inflating;
        this.filter = filter;
    }

    /** The tap of an answer to a request. */
    static UsageTap of(ClassicHttpResponse answer, Exchange exchange, RequestUsage request) {
        HttpEntity entity = answer.getEntity();
        if (entity == null || !exchange.pooled() || exchange.origin() != Exchange.Origin.UPSTREAM
                || answer.getCode() >= 300) {
            return NONE;
        }
        // Read once: an upstream entity looks it up among the answer's headers, and makes a new string, each time.
        String contentType = entity.getContentType();
        String encoding = entity.getContentEncoding();
        boolean encoded = encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim());
        // A compressed body's inflated length is unknown.
        UsageReader reader = UsageReader.forAnswer(contentType, encoded ? -1 : entity.getContentLength());
        InflatingReader inflating = reader != null && encoded ? InflatingReader.of(encoding, reader) : null;
        if (encoded && inflating == null) {
            reader = null;
        }
        boolean events = isEventStream(contentType);
        UsageChunkFilter filter = request.injected() && events && !encoded ? new UsageChunkFilter() : null;
        return reader == null && filter == null ? NONE : new UsageTap(reader, inflating, filter);
    }

    /**
     * Whether a content type is an event stream's, in any case. Compared in place rather than
     * lower-cased first: asked twice for every answer (header values are Latin-1, whose letters
     * match ignoring case exactly as lower-casing makes them match).
     */
    static boolean isEventStream(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, EVENT_STREAM, 0, EVENT_STREAM.length());
    }

    /** Whether the client may get fewer bytes than upstream sent (a usage chunk dropped): no {@code Content-Length}. */
    boolean changesLength() {
        return filter != null;
    }

    /** The next {@code n} bytes of the answer: read, and what is the client's written to {@code sink}. */
    void pass(byte[] b, int n, UsageChunkFilter.Sink sink) throws IOException {
        // The client's bytes go out first: reading usage only looks at them, and an event should not wait for it.
        // Read even when the write fails: upstream has spent the tokens whether the client got them or not.
        try {
            if (filter == null) {
                sink.write(b, 0, n);
            } else {
                filter.pass(b, n, sink);
            }
        } finally {
            read(b, n);
        }
    }

    /**
     * The last {@code n} bytes of an answer of known length: read first, then counted, then written,
     * so that the count lands before the client has the whole answer (behaviour.md §16).
     */
    void passLast(byte[] b, int n, UsageChunkFilter.Sink sink, AnswerCount count) throws IOException {
        read(b, n);
        count.count();
        if (filter == null) {
            sink.write(b, 0, n);
        } else {
            filter.pass(b, n, sink);
        }
    }

    private void read(byte[] b, int n) {
        if (inflating != null) {
            inflating.read(b, 0, n);
        } else if (reader != null) {
            reader.read(b, 0, n);
        }
    }

    /** The answer ended: what was held of a last event without its end goes out. */
    void end(UsageChunkFilter.Sink sink) throws IOException {
        if (filter != null) {
            filter.end(sink);
        }
    }

    /** What the answer said it used, as far as it was read. */
    Usage usage() {
        if (inflating != null) {
            return inflating.usage();
        }
        return reader == null ? Usage.NONE : reader.usage();
    }
}
