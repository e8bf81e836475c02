package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.Reachability;
import org.junit.jupiter.api.Test;

/** The upload side of clientIdleTimeout: the whole body within the timeout of its first read. */
class ClientBodyStreamTest {

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ClientWatchdog watchdog = new ClientWatchdog(Duration.ofSeconds(1), clock, null);

    /** A client that sends one byte per read, 100 ms apart, of a body that would take 100 s. */
    private final class Trickle extends InputStream {
        int sent;

        @Override
        public int read() {
            clock.advance(Duration.ofMillis(100));
            watchdog.sweep();
            sent++;
            return 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            buffer[offset] = (byte) read();
            return 1;
        }
    }

    @Test
    void aTrickleIsCutAtTheFirstReadAfterTheDeadline() {
        Trickle client = new Trickle();
        ClientBodyStream body = new ClientBodyStream(client, watchdog.watch(() -> { }));

        assertThatThrownBy(() -> body.readNBytes(1_000)).isInstanceOf(ClientBodyTimeoutException.class);
        assertThat(client.sent).as("bytes taken before the cut").isEqualTo(10);
    }

    @Test
    void theDeadlineCountsFromTheFirstReadNotFromTheWatch() throws IOException {
        ClientBodyStream body = new ClientBodyStream(new ByteArrayInputStream(new byte[10]), watchdog.watch(() -> { }));
        clock.advance(Duration.ofSeconds(5)); // e.g. the request waited for the chain
        watchdog.sweep();

        assertThat(body.readAllBytes()).hasSize(10);
    }

    @Test
    void aBodyReadInTimeIsNoLongerWatchedOnceClosed() throws IOException {
        AtomicInteger fired = new AtomicInteger();
        WeakReference<ClientWatchdog.Watch> watch = readTenBytesAndClose(fired::incrementAndGet);

        clock.advance(Duration.ofSeconds(5));
        watchdog.sweep();

        assertThat(fired).as("the watch fired after the body was closed").hasValue(0);
        Reachability.assertCollected(watch, "the watch of a closed body");
    }

    private WeakReference<ClientWatchdog.Watch> readTenBytesAndClose(Runnable onExpiry) throws IOException {
        ClientWatchdog.Watch watch = watchdog.watch(onExpiry);
        try (ClientBodyStream body = new ClientBodyStream(new ByteArrayInputStream(new byte[10]), watch)) {
            assertThat(body.readNBytes(10)).hasSize(10);
        }
        return new WeakReference<>(watch);
    }

    @Test
    void aReadFailingAfterTheDeadlineIsTheTimeoutAndBeforeItTheClientLeaving() {
        ClientWatchdog.Watch watch = watchdog.watch(() -> { });
        InputStream interruptedAtTheDeadline = new InputStream() {
            @Override
            public int read() throws IOException {
                clock.advance(Duration.ofSeconds(1));
                watchdog.sweep();
                throw new InterruptedIOException();
            }
        };
        InputStream reset = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> new ClientBodyStream(interruptedAtTheDeadline, watch).read())
                .isInstanceOf(ClientBodyTimeoutException.class);
        assertThatThrownBy(() -> new ClientBodyStream(reset, watchdog.watch(() -> { })).read())
                .isInstanceOf(ClientAbortedException.class);
    }
}
