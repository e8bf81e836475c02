package dev.keyfailover.chain;

import java.nio.charset.StandardCharsets;

/**
 * Whether an OpenAI request body asks for a stream and for its usage chunk, and the body that asks
 * for it (behaviour.md §16): the top-level members walked as bytes, as {@link TopLevelScan} does,
 * and {@code "stream_options":{"include_usage":true},} put right after the opening brace, so that
 * the rest of the body stays the client's bytes.
 */
final class StreamOptions {

    /** What a body asks for. */
    enum Asks {
        /** Not a stream, or not a JSON object the walk can read: left alone. */
        NO_STREAM,
        /** A stream with {@code stream_options.include_usage: true}: the client gets its usage chunk. */
        USAGE,
        /** A stream without {@code stream_options}: the proxy may ask for the usage. */
        NO_USAGE,
        /** A stream with {@code stream_options} that do not include the usage: left alone. */
        OTHER_OPTIONS
    }

    private static final byte[] STREAM = bytes("stream");
    private static final byte[] OPTIONS = bytes("stream_options");
    private static final byte[] INCLUDE_USAGE = bytes("include_usage");
    private static final byte[] TRUE = bytes("true");
    private static final byte[] ADDED = bytes("\"stream_options\":{\"include_usage\":true},");
    private static final int ABSENT = -1;
    private static final int UNREADABLE = -2;

    private StreamOptions() {
    }

    static Asks of(byte[] body) {
        if (!isTrue(body, member(body, 0, body.length, STREAM))) {
            return Asks.NO_STREAM;
        }
        int options = member(body, 0, body.length, OPTIONS);
        if (options == ABSENT) {
            return Asks.NO_USAGE;
        }
        if (options == UNREADABLE) {
            return Asks.NO_STREAM;
        }
        if (body[options] != '{') {
            return Asks.OTHER_OPTIONS;
        }
        int end = JsonBytes.skipValue(body, options, body.length);
        return end > 0 && isTrue(body, member(body, options, end, INCLUDE_USAGE)) ? Asks.USAGE : Asks.OTHER_OPTIONS;
    }

    /** The body with {@code stream_options.include_usage} set; only for a body that {@link Asks#NO_USAGE}. */
    static byte[] withUsage(byte[] body) {
        int open = JsonBytes.skipSpace(body, 0, body.length);
        byte[] rewritten = new byte[body.length + ADDED.length];
        System.arraycopy(body, 0, rewritten, 0, open + 1);
        System.arraycopy(ADDED, 0, rewritten, open + 1, ADDED.length);
        System.arraycopy(body, open + 1, rewritten, open + 1 + ADDED.length, body.length - open - 1);
        return rewritten;
    }

    private static boolean isTrue(byte[] b, int value) {
        return value >= 0 && value + TRUE.length <= b.length && JsonBytes.matches(b, value, value + TRUE.length, TRUE);
    }

    /** Where the value of the object's member {@code name} starts; {@link #ABSENT} or {@link #UNREADABLE}. */
    private static int member(byte[] b, int from, int to, byte[] name) {
        int i = JsonBytes.skipSpace(b, from, to);
        if (i >= to || b[i] != '{') {
            return UNREADABLE;
        }
        i++;
        while (true) {
            i = JsonBytes.skipSpace(b, i, to);
            if (i < to && b[i] == '}') {
                return ABSENT;
            }
            if (i >= to || b[i] != '"') {
                return UNREADABLE;
            }
            int keyEnd = JsonBytes.stringEnd(b, i, to);
            if (keyEnd < 0) {
                return UNREADABLE;
            }
            boolean wanted = JsonBytes.matches(b, i + 1, keyEnd, name);
            i = JsonBytes.skipSpace(b, keyEnd + 1, to);
            if (i >= to || b[i] != ':') {
                return UNREADABLE;
            }
            i = JsonBytes.skipSpace(b, i + 1, to);
            if (wanted) {
                return i < to ? i : UNREADABLE;
            }
            i = JsonBytes.skipValue(b, i, to);
            if (i < 0) {
                return UNREADABLE;
            }
            i = JsonBytes.skipSpace(b, i, to);
            if (i < to && b[i] == ',') {
                i++;
            } else if (i >= to || b[i] != '}') {
                return UNREADABLE;
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
