package dev.keyfailover.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Stands in for a request thread that loses the CPU the moment its client has the whole answer: in
 * front of the proxy, it holds the thread of each answer of known length, once the bytes of its
 * {@code Content-Length} were written (the container ends the response with that write), until the
 * next answer got that far or was made (or {@link #open()}). What the proxy still does after that
 * write on that thread thus happens after the client's next request was answered, every time: a race
 * made deterministic. An answer without a length ends when the servlet returned (the container ends
 * it after this filter): nothing is held.
 */
public final class AnswerHold implements Filter {

    private static final long SAFETY_TIMEOUT_SECONDS = 10;

    private int held;
    private boolean open;

    /** Lets every held thread go, and holds none from now on. */
    public synchronized void open() {
        open = true;
        notifyAll();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Holding holding = new Holding((HttpServletResponse) response);
        chain.doFilter(request, holding);
        if (!holding.done) {
            made();
        }
    }

    /** An answer not held was made: the one before it goes on. */
    private synchronized void made() {
        held++;
        notifyAll();
    }

    /** The client has this answer whole: wait for the next one to get as far. */
    private synchronized void hold() {
        int mine = ++held;
        notifyAll();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_TIMEOUT_SECONDS);
        try {
            while (!open && held == mine) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no next answer within " + SAFETY_TIMEOUT_SECONDS + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Holding extends HttpServletResponseWrapper {
        private final HttpServletResponse response;
        private ServletOutputStream out;
        private long written;
        private boolean done;

        Holding(HttpServletResponse response) {
            super(response);
            this.response = response;
        }

        /** Once per answer: at its last byte of a known length. */
        void whole() {
            if (!done) {
                done = true;
                hold();
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (out == null) {
                ServletOutputStream inner = response.getOutputStream();
                out = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        inner.write(b, off, len);
                        written += len;
                        String length = response.getHeader("Content-Length");
                        if (length != null && written >= Long.parseLong(length)) {
                            whole();
                        }
                    }

                    @Override
                    public void flush() throws IOException {
                        inner.flush();
                    }

                    @Override
                    public boolean isReady() {
                        return inner.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        inner.setWriteListener(listener);
                    }
                };
            }
            return out;
        }
    }
}
