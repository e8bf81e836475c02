package dev.keyfailover.chain;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * An entity whose bytes are copied to a dump file as they pass, in either direction, without
 * being held back. The dump file is finished when the stream ends or the entity is closed.
 */
final class TeedEntity extends HttpEntityWrapper {

    private final DumpSink sink;
    /** Whether the body was read to its end, or its cut already said. */
    private volatile boolean ended;

    private final String what;

    /** @param what {@code request} or {@code answer}, as the dump's last line names a cut one */
    TeedEntity(HttpEntity wrapped, DumpSink sink, String what) {
        super(wrapped);
        this.sink = sink;
        this.what = what;
    }

    @Override
    public InputStream getContent() throws IOException {
        InputStream content = super.getContent();
        return content == null ? null : new TeeInputStream(content);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try {
            super.writeTo(new TeeOutputStream(out, sink));
        } catch (IOException e) {
            end("sending failed: " + e.getClass().getName() + ": " + e.getMessage());
            throw e;
        }
        ended = true;
        sink.close();
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            end(CLOSED_EARLY);
        }
    }

    private static final String CLOSED_EARLY = "closed before its end (the client went away, or the proxy let the answer go)";

    /** The dump of a body that did not end as its sender meant it to says how it ended (behaviour.md §18). */
    private void end(String how) {
        if (!ended) {
            ended = true;
            sink.write(("\r\n-- " + what + " cut: " + how + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        sink.close();
    }

    /** Copies what is read; a read that fails, or a close before the end, is said in a last line of the dump. */
    private final class TeeInputStream extends FilterInputStream {

        TeeInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                end("upstream failed while answering: " + e.getClass().getName() + ": " + e.getMessage());
                throw e;
            }
            if (n < 0) {
                ended = true;
                sink.close();
            } else {
                sink.write(buffer, offset, n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                end(CLOSED_EARLY);
            }
        }
    }

    private static final class TeeOutputStream extends FilterOutputStream {
        private final DumpSink sink;

        TeeOutputStream(OutputStream out, DumpSink sink) {
            super(out);
            this.sink = sink;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            sink.write(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
            sink.write(buffer, offset, length);
        }
    }
}
