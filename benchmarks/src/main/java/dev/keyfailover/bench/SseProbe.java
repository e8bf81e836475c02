package dev.keyfailover.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Scenario 2's probe inside every candidate JVM ({@code -Dbench.sseProbe=true}): in front of any proxy servlet, on the
 * upstream's event streams only ({@code /sse}), it notes when each
 * event reaches the proxy's servlet output (the proxy has read it from upstream and done its own work) against the
 * upstream's send time the event carries. With the client's figure this splits a candidate's delay in two: upstream to
 * the proxy's write, and the proxy's write to the client. The same filter for every candidate, so their shares compare.
 */
public final class SseProbe implements Filter {

    private static final byte[] STAMP = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final Recorder HANDOFF = new Recorder(3_600_000_000L, 3);

    /** The delays since the last call, in µs, as JSON fields {@code handoffP50us}, {@code handoffP99us}, ... */
    static String drain() {
        Histogram h = HANDOFF.getIntervalHistogram();
        return "{\"handoffEvents\":" + h.getTotalCount() + ",\"handoffP50us\":" + h.getValueAtPercentile(50)
                + ",\"handoffP90us\":" + h.getValueAtPercentile(90) + ",\"handoffP99us\":" + h.getValueAtPercentile(99)
                + ",\"handoffMaxus\":" + h.getMaxValue() + "}";
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean stream = request instanceof HttpServletRequest http && http.getRequestURI().endsWith("/sse");
        chain.doFilter(request, stream ? new Stamping((HttpServletResponse) response) : response);
    }

    /** Finds the event's send time in the bytes written, if they hold one, and records its age now. */
    static void note(byte[] b, int off, int len) {
        long now = EpochMicros.now();
        int end = off + len;
        for (int i = off; i + STAMP.length < end; i++) {
            if (b[i] == STAMP[0] && b[i + 1] == STAMP[1] && b[i + 2] == STAMP[2] && b[i + 3] == STAMP[3]) {
                long sent = 0;
                for (int j = i + STAMP.length; j < end && b[j] >= '0' && b[j] <= '9'; j++) {
                    sent = sent * 10 + (b[j] - '0');
                }
                if (sent > 0 && now >= sent) {
                    HANDOFF.recordValue(Math.min(now - sent, 3_600_000_000L));
                }
                i += STAMP.length;
            }
        }
    }

    private static final class Stamping extends HttpServletResponseWrapper {
        private ServletOutputStream out;

        Stamping(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new StampingOutput(super.getOutputStream());
            }
            return out;
        }
    }

    private static final class StampingOutput extends ServletOutputStream {
        private final ServletOutputStream delegate;

        StampingOutput(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            note(b, off, len);
            delegate.write(b, off, len);
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            delegate.setWriteListener(listener);
        }
    }
}
