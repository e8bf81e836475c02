package dev.keyfailover.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.keyfailover.chain.UsageReader;

/**
 * The client's side of {@code streamUsage=inject} (behaviour.md §16): an OpenAI stream passes on
 * event by event, except the usage chunk the proxy asked for ({@code "choices":[]} with a
 * {@code "usage"} object), which the client did not ask for. An event is held only until its end
 * (the blank line), at most {@link #MAX_HELD} bytes; a longer one is no usage chunk and passes on
 * as it comes.
 */
final class UsageChunkFilter {

    /** Where the bytes that pass go. */
    interface Sink {
        void write(byte[] b, int off, int len) throws IOException;
    }

    static final int MAX_HELD = 4096;
    private static final byte[] CHOICES = "\"choices\"".getBytes(StandardCharsets.US_ASCII);

    private byte[] held;
    private int heldLength;
    private int lineEnds;
    /** The current event grew past {@link #MAX_HELD}: it passes on until its end. */
    private boolean passing;

    /** Passes on what of {@code b[0, n)} is the client's. */
    void pass(byte[] b, int n, Sink sink) throws IOException {
        int start = 0;
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            if (c == '\n') {
                if (++lineEnds == 2) {
                    lineEnds = 0;
                    endOfEvent(b, start, i + 1, sink);
                    start = i + 1;
                }
            } else if (c != '\r') {
                lineEnds = 0;
            }
        }
        if (start < n) {
            partOfEvent(b, start, n, sink);
        }
    }

    /** The stream ended: an event without its blank line passes on as it is. */
    void end(Sink sink) throws IOException {
        if (heldLength > 0) {
            sink.write(held, 0, heldLength);
            heldLength = 0;
        }
    }

    private void partOfEvent(byte[] b, int from, int to, Sink sink) throws IOException {
        if (!passing && heldLength + to - from > MAX_HELD) {
            end(sink);
            passing = true;
        }
        if (passing) {
            sink.write(b, from, to - from);
            return;
        }
        if (held == null) {
            held = new byte[MAX_HELD];
        }
        System.arraycopy(b, from, held, heldLength, to - from);
        heldLength += to - from;
    }

    private void endOfEvent(byte[] b, int from, int to, Sink sink) throws IOException {
        if (passing) {
            passing = false;
            sink.write(b, from, to - from);
            return;
        }
        if (heldLength == 0) {
            if (to - from > MAX_HELD || !isUsageChunk(b, from, to)) {
                sink.write(b, from, to - from);
            }
            return;
        }
        partOfEvent(b, from, to, sink);
        if (passing) {
            passing = false;
        } else if (!isUsageChunk(held, 0, heldLength)) {
            sink.write(held, 0, heldLength);
        }
        heldLength = 0;
    }

    /** An event whose data has {@code "choices":[]} and a usage object. */
    static boolean isUsageChunk(byte[] b, int from, int to) {
        return emptyChoices(b, from, to) && UsageReader.hasUsage(b, from, to);
    }

    private static boolean emptyChoices(byte[] b, int from, int to) {
        for (int i = from; i <= to - CHOICES.length; i++) {
            if (b[i] == '"' && matches(b, i, CHOICES) && (i == 0 || b[i - 1] != '\\')) {
                int j = skipSpace(b, i + CHOICES.length, to);
                if (j < to && b[j] == ':') {
                    j = skipSpace(b, j + 1, to);
                    if (j < to && b[j] == '[') {
                        j = skipSpace(b, j + 1, to);
                        return j < to && b[j] == ']';
                    }
                }
            }
        }
        return false;
    }

    private static boolean matches(byte[] b, int at, byte[] pattern) {
        for (int k = 0; k < pattern.length; k++) {
            if (b[at + k] != pattern[k]) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i;
    }
}
