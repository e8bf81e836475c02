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
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The three timeouts of an answer on an upstream connection (behaviour.md §18, Timeouts), applied
 * by {@link MaskedConnections} as the exchange goes. The socket reads with no timeout of its own;
 * each read that may wait is bounded by the connection's {@link UpstreamWatchdog.Watch}, which
 * closes the connection when its deadline passes. The head is waited for under the response
 * timeout HttpClient sets before each exchange ({@code InternalExecRuntime.execute}); once a final
 * head is in, each read of the body under {@code streamIdleTimeout}. With {@code firstByteTimeout},
 * the first byte of a streamed body is read ahead, still inside the exchange and so before any
 * handler or the client sees the head, under that shorter timeout; it is replayed first. A read
 * ended by its watch surfaces as an {@link UpstreamTimeoutException} naming which timeout; a
 * failure inside the exchange makes HttpClient discard the connection ({@code MainClientExec}),
 * so nothing is left half-read.
 */
final class AnswerTimeouts {

    private final Duration streamIdle;
    private final Optional<Duration> firstByte;
    private final long firstByteMillis;

    AnswerTimeouts(ClientSettings settings) {
        this.streamIdle = settings.streamIdleTimeout();
        this.firstByte = settings.firstByteTimeout();
        this.firstByteMillis = firstByte.map(Duration::toMillis).orElse(0L);
    }

    /**
     * What a failure while waiting for the head becomes: the timeout when {@code watch} ended the
     * read, {@code failure} otherwise; {@code waitedMillis} is the head's wait in effect.
     */
    static IOException headFailed(UpstreamWatchdog.Watch watch, long waitedMillis, IOException failure) {
        if (failure instanceof UpstreamTimeoutException || !watch.fired() && !(failure instanceof SocketTimeoutException)) {
            return failure;
        }
        return timedOut(UpstreamTimeoutException.Wait.HEAD, Duration.ofMillis(waitedMillis), failure);
    }

    /**
     * The body entity has just been attached to {@code response}: its reads are bounded by
     * {@code streamIdleTimeout}, and a streamed body's first byte is read ahead under
     * {@code firstByteTimeout} when that is on, and no later than the deadline of the request's
     * {@code budget} (if it has one, else {@code null}): a head held back has not started the answer,
     * so the budget still bounds it (then reported as the head's timeout, the budget's).
     */
    void bodyReceived(ClassicHttpResponse response, UpstreamWatchdog.Watch watch, AttemptDeadline budget)
            throws IOException {
        HttpEntity entity = response.getEntity();
        InputStream received = entity == null ? null : entity.getContent();
        if (received == null) {
            return;
        }
        InputStream rest = new IdleGuard(received, streamIdle, watch);
        int ahead = -1;
        if (firstByte.isPresent() && streamed(entity)) {
            long route = firstByteMillis;
            long millis = budget == null ? route : budget.firstByteMillis(route);
            boolean budgetFirst = millis < route;
            watch.arm(millis);
            try {
                ahead = received.read();
            } catch (IOException e) {
                if (watch.fired() || e instanceof SocketTimeoutException) {
                    throw budgetFirst
                            ? timedOut(UpstreamTimeoutException.Wait.HEAD, Duration.ofMillis(millis), e)
                            : timedOut(UpstreamTimeoutException.Wait.FIRST_BYTE, firstByte.get(), e);
                }
                throw e;
            } finally {
                watch.disarm();
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

    private static UpstreamTimeoutException timedOut(UpstreamTimeoutException.Wait wait, Duration timeout,
                                                     IOException cause) {
        UpstreamTimeoutException timedOut = new UpstreamTimeoutException(wait, timeout);
        timedOut.initCause(cause);
        return timedOut;
    }

    /**
     * Bounds each read of the body by {@code streamIdleTimeout} and reports a read its watch ended
     * as that. A close drains the rest of a delimited body (HttpCore), bounded as one read.
     */
    private static final class IdleGuard extends FilterInputStream {
        private final Duration timeout;
        private final long timeoutMillis;
        private final UpstreamWatchdog.Watch watch;

        IdleGuard(InputStream in, Duration timeout, UpstreamWatchdog.Watch watch) {
            super(in);
            this.timeout = timeout;
            this.timeoutMillis = timeout.toMillis();
            this.watch = watch;
        }

        @Override
        public int read() throws IOException {
            watch.arm(timeoutMillis);
            try {
                return super.read();
            } catch (IOException e) {
                throw idle(e);
            } finally {
                watch.disarm();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            watch.arm(timeoutMillis);
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw idle(e);
            } finally {
                watch.disarm();
            }
        }

        @Override
        public long skip(long n) throws IOException {
            watch.arm(timeoutMillis);
            try {
                return super.skip(n);
            } catch (IOException e) {
                throw idle(e);
            } finally {
                watch.disarm();
            }
        }

        @Override
        public void close() throws IOException {
            watch.arm(timeoutMillis);
            try {
                super.close();
            } catch (IOException e) {
                throw idle(e);
            } finally {
                watch.disarm();
            }
        }

        private IOException idle(IOException cause) {
            if (cause instanceof UpstreamTimeoutException || !watch.fired() && !(cause instanceof SocketTimeoutException)) {
                return cause;
            }
            return timedOut(UpstreamTimeoutException.Wait.STREAM_IDLE, timeout, cause);
        }
    }

    /** The received entity, read through one stream: the bytes read ahead, then the rest, guarded. */
    private static final class TimedBody extends HttpEntityWrapper {
        private final InputStream content;
        // Read once: HttpCore's entity looks the header up and copies its value on every call, and an
        // answer's type is asked for several times (issue 22: one request's hot path). Nothing changes
        // an upstream answer's headers once its body is attached.
        private final String contentType;

        TimedBody(HttpEntity received, InputStream content) {
            super(received);
            this.content = content;
            this.contentType = received.getContentType();
        }

        @Override
        public String getContentType() {
            return contentType;
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
