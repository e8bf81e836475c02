package dev.keyfailover.chain;

import java.io.IOException;
import java.io.OutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dump file being written as bytes pass by. A write failure is logged once and turns the sink
 * off; it never reaches the exchange.
 */
final class DumpSink {

    private static final Logger LOG = LoggerFactory.getLogger(DumpSink.class);

    private final String name;
    private OutputStream out;

    DumpSink(String name, OutputStream out) {
        this.name = name;
        this.out = out;
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        if (out == null || length <= 0) {
            return;
        }
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            fail(e);
        }
    }

    void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("API dump: cannot finish {}: {}", name, e.toString());
        }
        out = null;
    }

    private void fail(IOException e) {
        LOG.warn("API dump: cannot write {}, dropping the rest of it: {}", name, e.toString());
        try {
            out.close();
        } catch (IOException ignored) {
            // already failing; the warning above says enough
        }
        out = null;
    }
}
