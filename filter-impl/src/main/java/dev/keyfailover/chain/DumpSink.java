package dev.keyfailover.chain;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One dump file being written as bytes pass by. A write failure is logged once (through the
 * dump's throttled line) and turns the sink off; it never reaches the exchange.
 */
final class DumpSink {

    private final ApiDump dump;
    private final String name;
    private OutputStream out;

    DumpSink(ApiDump dump, String name, OutputStream out) {
        this.dump = dump;
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
            dump.failed("API dump: cannot finish {}: {}", name, e);
        }
        out = null;
    }

    private void fail(IOException e) {
        dump.failed("API dump: cannot write {}, dropping the rest of it: {}", name, e);
        try {
            out.close();
        } catch (IOException ignored) {
            // already failing; the warning above says enough
        }
        out = null;
    }
}
