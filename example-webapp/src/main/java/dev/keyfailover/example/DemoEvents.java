package dev.keyfailover.example;

import java.io.IOException;
import java.io.PrintWriter;

/** Writes one event of a demo stream and waits before the next, as a model producing words would. */
final class DemoEvents {

    private static final long EVENT_GAP_MILLIS = 150;

    private DemoEvents() {
    }

    /** Writes {@code event} (with its blank line), flushes it, and waits the gap; a gone client is an IOException. */
    static void write(PrintWriter out, String event) throws IOException {
        out.write(event);
        out.flush();
        if (out.checkError()) {
            throw new IOException("client went away");
        }
        try {
            Thread.sleep(EVENT_GAP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
