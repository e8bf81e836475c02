package dev.keyfailover.chain;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * An entity whose bytes are copied to a dump file as they pass, in either direction, without
 * being held back. The dump file is finished when the stream ends or the entity is closed.
 */
final class TeedEntity extends HttpEntityWrapper {

    private final DumpSink sink;

    TeedEntity(HttpEntity wrapped, DumpSink sink) {
        super(wrapped);
        this.sink = sink;
    }

    @Override
    public InputStream getContent() throws IOException {
        InputStream content = super.getContent();
        return content == null ? null : new TeeInputStream(content, sink);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        super.writeTo(new TeeOutputStream(out, sink));
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            sink.close();
        }
    }

    private static final class TeeInputStream extends FilterInputStream {
        private final DumpSink sink;

        TeeInputStream(InputStream in, DumpSink sink) {
            super(in);
            this.sink = sink;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
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
                sink.close();
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
