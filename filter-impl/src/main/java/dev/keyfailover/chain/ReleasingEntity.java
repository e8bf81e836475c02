package dev.keyfailover.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;

import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.http.io.EofSensorWatcher;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * An upstream answer's streamed body that gives its connection back to the pool when read to the
 * end, and drops the connection when closed before the end or when reading fails: the contract
 * of HttpClient's own (package-private) {@code ResponseEntityProxy}, which only HttpClient's protocol element
 * applies (its {@code MainClientExec} releases only an answer without a streamed body), so {@link ProxyProtocolExec}
 * must apply this in its place. Every exit gives the lease back: the end read (kept), a close or a failed read
 * (dropped), an abort or a cancel (dropped). Closing after the end is harmless: the connection is no longer held.
 */
final class ReleasingEntity extends HttpEntityWrapper implements EofSensorWatcher {

    private final ExecRuntime runtime;

    private ReleasingEntity(HttpEntity entity, ExecRuntime runtime) {
        super(entity);
        this.runtime = runtime;
    }

    /** Wraps a streamed body; an answer without one has released its connection already. */
    static void enhance(ClassicHttpResponse response, ExecRuntime runtime) {
        HttpEntity entity = response.getEntity();
        if (entity != null && entity.isStreaming() && runtime != null) {
            response.setEntity(new ReleasingEntity(entity, runtime));
        }
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public InputStream getContent() throws IOException {
        return new EofSensorInputStream(super.getContent(), this);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try {
            // Written to nowhere, the body is still read to its end: a connection handed back with unread bytes
            // would give the next request on it this answer's rest as its head (ResponseEntityProxy does the same).
            super.writeTo(out != null ? out : OutputStream.nullOutputStream());
            runtime.releaseEndpoint();
        } catch (IOException | RuntimeException e) {
            runtime.discardEndpoint();
            throw e;
        } finally {
            drop();
        }
    }

    @Override
    public boolean eofDetected(InputStream in) throws IOException {
        closeAndRelease(in, false);
        return false;
    }

    @Override
    public boolean streamClosed(InputStream in) throws IOException {
        // A socket failure while closing is expected when the connection was already let go.
        closeAndRelease(in, !runtime.isEndpointAcquired());
        return false;
    }

    /** Closes the body's stream and gives the connection back; on a failure it is discarded, never reused. */
    private void closeAndRelease(InputStream in, boolean socketFailureExpected) throws IOException {
        try {
            try {
                if (in != null) {
                    in.close();
                }
                runtime.releaseEndpoint();
            } catch (SocketException e) {
                if (!socketFailureExpected) {
                    throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            runtime.discardEndpoint();
            throw e;
        } finally {
            drop();
        }
    }

    @Override
    public boolean streamAbort(InputStream in) throws IOException {
        drop();
        return false;
    }

    @Override
    public void close() throws IOException {
        drop();
    }

    /** Drops whatever connection is still held: none after a release, so a no-op then. */
    private void drop() throws IOException {
        try {
            if (runtime.isEndpointConnected()) {
                runtime.disconnectEndpoint();
            }
        } finally {
            runtime.discardEndpoint();
        }
    }
}
