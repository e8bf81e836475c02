package dev.keyfailover.chain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import dev.keyfailover.settings.ClientSettings;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.Timeout;

/**
 * The three timeouts of an answer on an upstream connection (behaviour.md §18, Timeouts), applied
 * by {@link MaskedConnections} as the exchange goes. HttpClient sets the socket timeout to the
 * request's response timeout before each exchange ({@code InternalExecRuntime.execute}), so the
 * head is waited for under {@code responseTimeout}; once a final head is in, the body is read
 * under {@code streamIdleTimeout}. With {@code firstByteTimeout}, the first byte of a streamed
 * body is read ahead, still inside the exchange and so before any handler or the client sees the
 * head, under that shorter timeout; it is replayed first. A timeout surfaces as an
 * {@link UpstreamTimeoutException} naming which; a failure inside the exchange makes HttpClient
 * discard the connection ({@code MainClientExec}), so nothing is left half-read.
 */
final class AnswerTimeouts {

    private final Duration streamIdle;
    private final Optional<Duration> firstByte;

    AnswerTimeouts(ClientSettings settings) {
        this.streamIdle = settings.streamIdleTimeout();
        this.firstByte = settings.firstByteTimeout();
    }

    /** What a socket timeout while waiting for the head becomes; {@code waited} is the socket timeout in effect. */
    UpstreamTimeoutException headTimedOut(Timeout waited, SocketTimeoutException cause) {
        UpstreamTimeoutException timeout = new UpstreamTimeoutException(UpstreamTimeoutException.Wait.HEAD,
                Duration.ofMillis(waited.toMilliseconds()));
        timeout.initCause(cause);
        return timeout;
    }

    /** A final head is in: the body, if any, is read under {@code streamIdleTimeout}. */
    void headReceived(HttpClientConnection connection) {
        connection.setSocketTimeout(Timeout.of(streamIdle));
    }

    /**
     * The body entity has just been attached to {@code response}: its reads report silence as
     * {@code streamIdleTimeout}, and a streamed body's first byte is read ahead under
     * {@code firstByteTimeout} when that is on.
     */
    void bodyReceived(ClassicHttpResponse response, HttpClientConnection connection) throws IOException {
        HttpEntity entity = response.getEntity();
        InputStream received = entity == null ? null : entity.getContent();
        if (received == null) {
            return;
        }
        InputStream rest = new IdleGuard(received, streamIdle);
        int ahead = -1;
        if (firstByte.isPresent() && streamed(entity)) {
            connection.setSocketTimeout(Timeout.of(firstByte.get()));
            try {
                ahead = received.read();
            } catch (SocketTimeoutException e) {
                UpstreamTimeoutException timeout = new UpstreamTimeoutException(
                        UpstreamTimeoutException.Wait.FIRST_BYTE, firstByte.get());
                timeout.initCause(e);
                throw timeout;
            } finally {
                connection.setSocketTimeout(Timeout.of(streamIdle));
            }
        }
        response.setEntity(new TimedBody(entity, ahead < 0 ? rest : new ReadAhead(ahead, rest)));
    }

    /** A body of unknown length or an event stream: one that may start long after its head. */
    static boolean streamed(HttpEntity entity) {
        String type = entity.getContentType();
        return entity.getContentLength() < 0
                || type != null && type.trim().toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    /** Reports a socket timeout inside the body as {@code streamIdleTimeout}. */
    private static final class IdleGuard extends FilterInputStream {
        private final Duration timeout;

        IdleGuard(InputStream in, Duration timeout) {
            super(in);
            this.timeout = timeout;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SocketTimeoutException e) {
                throw idle(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw idle(e);
            }
        }

        private SocketTimeoutException idle(SocketTimeoutException cause) {
            if (cause instanceof UpstreamTimeoutException) {
                return cause;
            }
            UpstreamTimeoutException idle = new UpstreamTimeoutException(UpstreamTimeoutException.Wait.STREAM_IDLE,
                    timeout);
            idle.initCause(cause);
            return idle;
        }
    }

    /** The byte read ahead, then the rest; the first read also takes what the rest has buffered, so no chunk is split. */
    private static final class ReadAhead extends FilterInputStream {
        private int ahead;

        ReadAhead(int first, InputStream rest) {
            super(rest);
            this.ahead = first;
        }

        @Override
        public int read() throws IOException {
            if (ahead < 0) {
                return super.read();
            }
            int first = ahead;
            ahead = -1;
            return first;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ahead < 0 || len == 0) {
                return super.read(b, off, len);
            }
            b[off] = (byte) read();
            int buffered = Math.min(len - 1, in.available());
            int more = buffered > 0 ? in.read(b, off + 1, buffered) : 0;
            return 1 + Math.max(more, 0);
        }

        @Override
        public int available() throws IOException {
            return (ahead < 0 ? 0 : 1) + in.available();
        }

        @Override
        public long skip(long n) throws IOException {
            if (ahead < 0 || n <= 0) {
                return super.skip(n);
            }
            ahead = -1;
            return 1 + super.skip(n - 1);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** The received entity, read through one stream: the bytes read ahead, then the rest, guarded. */
    private static final class TimedBody extends HttpEntityWrapper {
        private final InputStream content;

        TimedBody(HttpEntity received, InputStream content) {
            super(received);
            this.content = content;
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }

        @Override
        public InputStream getContent() {
            return content;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            content.transferTo(out);
        }
    }
}
