package dev.keyfailover.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.keyfailover.chain.Exchange;
import dev.keyfailover.chain.HeaderPolicy;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpStatus;

/**
 * Copies an answer to the client, upstream's or the proxy's own: status, end-to-end headers, the
 * pool's headers on an answer to a pool request and {@code x-should-retry: false} on a transient
 * failure the proxy gave up retrying (the one place they are added), and the body as bytes.
 * Streams (event streams, bodies of unknown length) are flushed after every read, so each chunk
 * reaches the client as upstream sends it. Every write runs under the request's
 * {@link ClientWatchdog.Watch}, so a client that stops reading cannot hold the exchange.
 */
final class ResponseStreamer {

    /** The copy buffer of a body of known length: at most this, or the length when smaller. */
    private static final int MAX_BUFFER_SIZE = 16 * 1024;
    /** Read by the OpenAI and Anthropic SDKs: {@code false}, they do not retry. */
    static final String SHOULD_RETRY = "x-should-retry";

    private final HeaderPolicy headers;
    private final int streamBufferSize;

    /**
     * @param headers which headers are passed on
     * @param streamBufferSize the copy buffer of a body of unknown length: held for the whole
     *     stream, so with thousands of open streams it counts (the route's upstreamBufferSize:
     *     one read never gets more than the upstream connection's buffer holds)
     */
    ResponseStreamer(HeaderPolicy headers, int streamBufferSize) {
        this.headers = headers;
        this.streamBufferSize = streamBufferSize;
    }

    /**
     * @param exchange the exchange the answer belongs to
     * @param writes armed during every write to the client, so that a write a client leaves
     *     blocked (it stopped reading) fires it
     * @throws ClientAbortedException when writing to the client fails (it went away, or the watch
     *     interrupted a blocked write)
     * @throws IOException any other: reading the upstream body failed, as it is
     */
    void copy(ClassicHttpResponse upstream, HttpServletResponse response, Exchange exchange,
              ClientWatchdog.Watch writes) throws IOException {
        copy(upstream, response, exchange, writes, UsageTap.NONE, AnswerCount.NONE);
    }

    /**
     * As the copy above, the body passing through {@code tap} (behaviour.md §16), and the answer
     * counted as soon as upstream's body is whole, before the client has it whole: of a body of
     * known length, before its last bytes are written; of a stream, when upstream's body ends,
     * before the last flush and the container's end of the response. An answer that broke off is
     * not counted here.
     */
    void copy(ClassicHttpResponse upstream, HttpServletResponse response, Exchange exchange,
              ClientWatchdog.Watch writes, UsageTap tap, AnswerCount count) throws IOException {
        response.setStatus(upstream.getCode());
        HttpEntity entity = upstream.getEntity();
        // Read once: an upstream entity looks it up among the answer's headers, and makes a new string, each time.
        String contentType = entity == null ? null : entity.getContentType();
        copyHeaders(upstream, contentType, response, exchange);
        if (entity == null) {
            return;
        }
        if (tap.changesLength()) {
            response.setHeader("Content-Length", null);
        }
        long length = entity.getContentLength();
        boolean streaming = isStream(length, contentType);
        ServletOutputStream out = response.getOutputStream();
        // Not closed here: closing would drain the rest of a stream; the caller cancels first.
        InputStream in = entity.getContent();
        byte[] buffer = new byte[bufferSize(length)];
        try {
            if (streaming) {
                flushBuffer(response, writes);
            }
            UsageChunkFilter.Sink sink = (b, off, len) -> write(out, b, off, len, streaming, writes);
            // Of a body of known length, what is left to read: at 0 the answer is whole and counts.
            long left = length;
            int n;
            while ((n = readUpstream(in, buffer)) >= 0) {
                left -= n;
                if (left == 0) {
                    tap.passLast(buffer, n, sink, count);
                } else {
                    tap.pass(buffer, n, sink);
                }
            }
            // A stream ended (a body of known length counted already): counted before the client's end of it.
            count.count();
            tap.end(sink);
            // The last bytes go out now, under the watch, while the request still counts as in flight;
            // not later, when the container completes the response.
            flushBuffer(response, writes);
        } catch (UpstreamReadException e) {
            throw e.upstreamFailure;
        } catch (IOException e) {
            throw e instanceof ClientAbortedException ? (ClientAbortedException) e : new ClientAbortedException(e);
        }
    }

    private static void write(ServletOutputStream out, byte[] buffer, int offset, int length, boolean flush,
                              ClientWatchdog.Watch writes) throws IOException {
        writes.enter();
        try {
            out.write(buffer, offset, length);
            if (flush) {
                out.flush();
            }
        } finally {
            writes.leave();
        }
    }

    private static void flushBuffer(HttpServletResponse response, ClientWatchdog.Watch writes) throws IOException {
        writes.enter();
        try {
            response.flushBuffer();
        } finally {
            writes.leave();
        }
    }

    /**
     * A body of known length smaller than the largest buffer gets a buffer of its own size: a
     * typical 1 KiB completion then costs 1 KiB, not 16 KiB, of garbage per request (JFR showed the
     * copy buffer as a fifth of all bytes the proxy allocated).
     */
    int bufferSize(long contentLength) {
        if (contentLength < 0) {
            return streamBufferSize;
        }
        return contentLength < MAX_BUFFER_SIZE ? (int) Math.max(contentLength, 1) : MAX_BUFFER_SIZE;
    }

    private static int readUpstream(InputStream in, byte[] buffer) throws UpstreamReadException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new UpstreamReadException(e);
        }
    }

    private static boolean isStream(long contentLength, String contentType) {
        return contentLength < 0 || UsageTap.isEventStream(contentType);
    }

    /**
     * One request's hot path: the answer's headers are fetched once and walked for all that is
     * asked of them (its {@code Connection} values, whether it has a type and a length), where
     * asking the answer would walk them once per question.
     */
    private void copyHeaders(ClassicHttpResponse upstream, String contentType, HttpServletResponse response,
                             Exchange exchange) {
        Header[] all = upstream.getHeaders();
        Set<String> hopByHop = headers.hopByHop(connectionValues(all));
        HttpEntity entity = upstream.getEntity();
        // Upstream's Content-Length framed upstream's connection: the client's gets the length of the
        // body it is sent (none when upstream sent chunks, even beside a length; none on a 204).
        // Only an answer without a body to a HEAD, or a 304, keeps upstream's, which tells the size.
        boolean lengthOfTheBody = entity != null || upstream.getCode() == HttpStatus.SC_NO_CONTENT;
        boolean hasContentType = false;
        for (Header header : all) {
            String name = header.getName();
            hasContentType |= name.equalsIgnoreCase("Content-Type");
            if (lengthOfTheBody && name.equalsIgnoreCase("Content-Length")) {
                continue;
            }
            if (headers.copiesResponseHeader(name.toLowerCase(Locale.ROOT), hopByHop, exchange)) {
                response.addHeader(name, header.getValue());
            }
        }
        headers.addPoolHeaders(exchange, response::setHeader);
        if (exchange.retriesSpent()) {
            // The proxy retried already (behaviour.md §18): an SDK that retries in turn would multiply them.
            response.setHeader(SHOULD_RETRY, "false");
        }
        if (entity != null) {
            // Answers the proxy makes itself carry their type on the entity, not as a header.
            if (contentType != null && !hasContentType) {
                response.setContentType(contentType);
            }
            if (entity.getContentLength() >= 0) {
                response.setContentLengthLong(entity.getContentLength());
            }
        }
    }

    /** The values of the answer's {@code Connection} headers, as {@code getHeaders("Connection")} finds them. */
    private static Iterator<String> connectionValues(Header[] all) {
        List<String> values = null;
        for (Header header : all) {
            if (header.getName().equalsIgnoreCase("Connection")) {
                if (values == null) {
                    values = new ArrayList<>(1);
                }
                values.add(header.getValue());
            }
        }
        return values == null ? Collections.emptyIterator() : values.iterator();
    }

    /** Carries an upstream read failure past the client-write handler. */
    private static final class UpstreamReadException extends Exception {
        private static final long serialVersionUID = 1L;
        private final IOException upstreamFailure;

        UpstreamReadException(IOException upstreamFailure) {
            super(null, null, false, false);
            this.upstreamFailure = upstreamFailure;
        }
    }
}
