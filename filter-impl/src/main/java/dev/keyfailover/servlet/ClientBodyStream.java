package dev.keyfailover.servlet;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The client's body, with read failures marked as the client's, not upstream's, and a deadline:
 * the whole body must arrive within {@code clientIdleTimeout} of its first read. A trickle (a
 * byte a second) is cut at the first read after the deadline; a read blocked on a silent client
 * is interrupted by the watch where the container allows it (see {@link ClientWatchdog}).
 */
final class ClientBodyStream extends FilterInputStream {

    private final ClientWatchdog.Watch deadline;
    private boolean started;

    /** @param deadline the request's upload watch, armed here at the first read */
    ClientBodyStream(InputStream in, ClientWatchdog.Watch deadline) {
        super(in);
        this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
        return watched(() -> super.read());
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return watched(() -> super.read(buffer, offset, length));
    }

    private int watched(Read read) throws IOException {
        if (!started) {
            started = true;
            deadline.arm();
        }
        failIfLate(null);
        int result;
        deadline.enterCall();
        try {
            result = read.read();
        } catch (IOException e) {
            failIfLate(e);
            throw e instanceof ClientAbortedException ? e : new ClientAbortedException(e);
        } finally {
            deadline.leaveCall();
        }
        // Bytes that arrive after the deadline are too late too: a trickle never waits long in one read.
        failIfLate(null);
        if (result < 0) {
            deadline.disarm();
        }
        return result;
    }

    private void failIfLate(IOException cause) throws ClientBodyTimeoutException {
        if (deadline.expired()) {
            throw new ClientBodyTimeoutException(cause);
        }
    }

    /** The chain closes the body once it has read it: the deadline no longer applies. */
    @Override
    public void close() throws IOException {
        deadline.close();
        super.close();
    }

    @FunctionalInterface
    private interface Read {
        int read() throws IOException;
    }
}
