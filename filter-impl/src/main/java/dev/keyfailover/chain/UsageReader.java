package dev.keyfailover.chain;

import java.util.Locale;

/**
 * Reads the usage of one answer from its bytes as they pass (behaviour.md §16), holding none of
 * them back and copying at most {@link #WINDOW} of them: of an event stream, the end of the
 * current event (read when it ends, every usage object in it: usage events are short, and Gemini
 * puts {@code usageMetadata} at the end of its chunks); of any other body, its end (where OpenAI,
 * Anthropic and Gemini put their usage), read once the body is done: its last usage object, found
 * searching back from the end. An event or a body's end
 * that lies whole within one read is read where it lies: nothing is copied. What it cannot read it
 * ignores: {@link #usage()} is then {@link Usage#NONE}.
 */
public final class UsageReader {

    /** The most bytes kept: of the current event, or of the body's end. */
    static final int WINDOW = 2048;

    private final boolean events;
    private final int capacity;
    /** The body's length, -1 when unknown; and how much of it was read. */
    private final long contentLength;
    private long seen;
    private final UsageFields fields = new UsageFields();
    private byte[] window;
    private int length;
    private int lineEnds;

    private UsageReader(boolean events, int capacity, long contentLength) {
        this.events = events;
        this.capacity = capacity;
        this.contentLength = contentLength;
    }

    /**
     * A reader for an answer of this content type and length (-1: unknown), or {@code null} when
     * its type cannot carry usage (neither JSON nor an event stream).
     */
    public static UsageReader forAnswer(String contentType, long contentLength) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("text/event-stream")) {
            return new UsageReader(true, WINDOW, -1);
        }
        if (!type.contains("json")) {
            return null;
        }
        return new UsageReader(false, contentLength >= 0 && contentLength < WINDOW ? (int) contentLength : WINDOW,
                contentLength);
    }

    /** Whether {@code b[from, to)} holds a usage object of one of the shapes. */
    public static boolean hasUsage(byte[] b, int from, int to) {
        return UsageKeys.next(b, from, to) >= 0;
    }

    /** The next bytes of the answer. */
    public void read(byte[] b, int off, int len) {
        seen += len;
        if (!events) {
            if (length == 0 && seen == contentLength) {
                // The whole body's end is in this read (a small body comes in one): read in place, nothing copied.
                fields.scanLast(b, Math.max(off, off + len - capacity), off + len);
            } else {
                keep(b, off, len);
            }
            return;
        }
        int start = off;
        int to = off + len;
        for (int i = off; i < to; i++) {
            byte c = b[i];
            if (c == '\n') {
                if (++lineEnds == 2) {
                    if (length == 0) {
                        // A whole event within this read (upstream sends them whole): read in place.
                        fields.scan(b, Math.max(start, i + 1 - capacity), i + 1);
                    } else {
                        keep(b, start, i + 1 - start);
                    }
                    endOfEvent();
                    start = i + 1;
                }
            } else if (c != '\r') {
                lineEnds = 0;
            }
        }
        keep(b, start, to - start);
    }

    /** The usage read; call once the answer ended (or broke off). */
    public Usage usage() {
        endOfEvent();
        return fields.usage();
    }

    private void endOfEvent() {
        if (length > 0 && events) {
            fields.scan(window, 0, length);
        } else if (length > 0) {
            fields.scanLast(window, 0, length);
            length = 0;
        }
        lineEnds = 0;
    }

    /** Keeps the last {@code capacity} bytes of what was kept and these. */
    private void keep(byte[] b, int off, int len) {
        if (len <= 0) {
            return;
        }
        if (window == null) {
            window = new byte[capacity];
        }
        if (len >= capacity) {
            System.arraycopy(b, off + len - capacity, window, 0, capacity);
            length = capacity;
            return;
        }
        int overflow = length + len - capacity;
        if (overflow > 0) {
            System.arraycopy(window, overflow, window, 0, length - overflow);
            length -= overflow;
        }
        System.arraycopy(b, off, window, length, len);
        length += len;
    }
}
