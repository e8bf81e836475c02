package dev.keyfailover.chain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A streamed body's first byte, read ahead under {@code firstByteTimeout} ({@link AnswerTimeouts}),
 * then the rest; the first read also takes what the rest has buffered, so no chunk is split.
 */
final class ReadAhead extends FilterInputStream {
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
