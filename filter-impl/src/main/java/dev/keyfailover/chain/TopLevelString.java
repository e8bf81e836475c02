package dev.keyfailover.chain;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;

/**
 * Finds a top-level string field of a JSON object without building its tree: first by scanning a
 * few KiB from the start, then a few KiB backwards from the end (SDKs put {@code "model"} before
 * or after a long {@code "messages"} array), and only when neither settles it, with a streaming
 * parse of the whole body. So a 1 MiB chat request costs a few KiB of scanning, not 1 MiB.
 */
final class TopLevelString {

    /** How far each quick scan may go. */
    static final int WINDOW = 8 * 1024;

    private TopLevelString() {
    }

    /** A first, shorter pair of scans: SDKs put the field within a few hundred bytes of one end. */
    static final int FIRST_WINDOW = 1024;

    /** The field's string value in a body held in memory; {@code null} when absent, not a string, or not JSON. */
    static String find(byte[] body, String field) {
        byte[] name = field.getBytes(StandardCharsets.UTF_8);
        Found found = scans(body, FIRST_WINDOW, name);
        if (found == null && body.length > FIRST_WINDOW) {
            found = scans(body, WINDOW, name);
        }
        if (found != null) {
            return found.value(body);
        }
        return parse(new ByteArrayInputStream(body), field);
    }

    /** A forward scan of the first {@code window} bytes, then a backward one of the last; {@code null} when they cannot tell. */
    private static Found scans(byte[] body, int window, byte[] name) {
        Found found = forward(body, 0, Math.min(body.length, window), body.length <= window, name);
        if (found == null && body.length > window) {
            found = backward(body, Math.max(0, body.length - window), body.length, name);
        }
        return found;
    }

    /**
     * The field's value from the quick scans of a body's first and last bytes (for a body that is
     * not in memory), or {@link #UNSETTLED} when they cannot tell.
     *
     * @param head the first bytes; {@code whole} when they are all of it
     * @param tail the last bytes
     */
    static String find(byte[] head, byte[] tail, boolean whole, String field) {
        byte[] name = field.getBytes(StandardCharsets.UTF_8);
        Found found = forward(head, 0, head.length, whole, name);
        if (found != null) {
            return found.value(head);
        }
        if (!whole) {
            found = backward(tail, 0, tail.length, name);
            if (found != null) {
                return found.value(tail);
            }
        }
        return whole ? null : UNSETTLED;
    }

    /** Returned by {@link #find(byte[], byte[], boolean, String)} when only a full parse can tell. */
    static final String UNSETTLED = new String("unsettled");

    /** A streaming parse of the whole body: the last resort. */
    static String parse(InputStream body, String field) {
        try (JsonParser parser = Jsons.parser(body)) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return null;
            }
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                if (event != JsonParser.Event.KEY_NAME) {
                    return null;
                }
                boolean wanted = parser.getString().equals(field);
                JsonParser.Event value = parser.next();
                if (wanted) {
                    return value == JsonParser.Event.VALUE_STRING ? parser.getString() : null;
                }
                if (value == JsonParser.Event.START_OBJECT) {
                    parser.skipObject();
                } else if (value == JsonParser.Event.START_ARRAY) {
                    parser.skipArray();
                }
            }
            return null;
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            return null;
        }
    }

    /** Where a value was found: the bytes between its quotes; {@code start < 0} for a field that is absent or not a string. */
    private record Found(int start, int end) {
        static final Found NONE = new Found(-1, -1);

        String value(byte[] bytes) {
            if (start < 0) {
                return null;
            }
            for (int i = start; i < end; i++) {
                if (bytes[i] == '\\') {
                    // Escapes are rare in a model name: let the parser decode them.
                    return parse(new ByteArrayInputStream(("{\"v\":" + new String(bytes, start - 1, end - start + 2,
                            StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8)), "v");
                }
            }
            return new String(bytes, start, end - start, StandardCharsets.UTF_8);
        }
    }

    /**
     * Scans from {@code from} to {@code to}; {@code null} when it cannot tell within that range
     * ({@code complete}: the range is the whole body, so reaching its end is an answer too).
     */
    private static Found forward(byte[] b, int from, int to, boolean complete, byte[] name) {
        int i = skipSpace(b, from, to);
        if (i >= to) {
            return complete ? Found.NONE : null;
        }
        if (b[i] != '{') {
            return Found.NONE;
        }
        i++;
        while (true) {
            i = skipSpace(b, i, to);
            if (i >= to) {
                return null;
            }
            if (b[i] == '}') {
                return Found.NONE;
            }
            if (b[i] != '"') {
                return null;
            }
            int keyEnd = stringEnd(b, i, to);
            if (keyEnd < 0) {
                return null;
            }
            boolean wanted = equals(b, i + 1, keyEnd, name);
            i = skipSpace(b, keyEnd + 1, to);
            if (i >= to || b[i] != ':') {
                return null;
            }
            i = skipSpace(b, i + 1, to);
            if (i >= to) {
                return null;
            }
            if (wanted) {
                if (b[i] != '"') {
                    return Found.NONE;
                }
                int valueEnd = stringEnd(b, i, to);
                return valueEnd < 0 ? null : new Found(i + 1, valueEnd);
            }
            i = skipValue(b, i, to);
            if (i < 0) {
                return null;
            }
            i = skipSpace(b, i, to);
            if (i >= to) {
                return null;
            }
            if (b[i] == ',') {
                i++;
            } else if (b[i] == '}') {
                return Found.NONE;
            } else {
                return null;
            }
        }
    }

    /** Scans backwards from the end ({@code to}) of a body down to {@code from}; {@code null} when it cannot tell. */
    private static Found backward(byte[] b, int from, int to, byte[] name) {
        int i = skipSpaceBack(b, to - 1, from);
        if (i < from || b[i] != '}') {
            return null;
        }
        i--;
        while (true) {
            i = skipSpaceBack(b, i, from);
            if (i < from) {
                return null;
            }
            if (b[i] == '{') {
                return Found.NONE;
            }
            int valueEnd = i;
            int valueStart;
            boolean string = b[i] == '"';
            if (string) {
                valueStart = stringStartBack(b, i, from);
                if (valueStart < 0) {
                    return null;
                }
                i = valueStart - 1;
            } else if (b[i] == '}' || b[i] == ']') {
                valueStart = openingBack(b, i, from);
                if (valueStart < 0) {
                    return null;
                }
                i = valueStart - 1;
            } else {
                while (i >= from && b[i] != ':' && b[i] != ',' && !isSpace(b[i])) {
                    i--;
                }
                valueStart = i + 1;
            }
            i = skipSpaceBack(b, i, from);
            if (i < from || b[i] != ':') {
                return null;
            }
            i = skipSpaceBack(b, i - 1, from);
            if (i < from || b[i] != '"') {
                return null;
            }
            int keyStart = stringStartBack(b, i, from);
            if (keyStart < 0) {
                return null;
            }
            if (equals(b, keyStart + 1, i, name)) {
                return string ? new Found(valueStart + 1, valueEnd) : Found.NONE;
            }
            i = skipSpaceBack(b, keyStart - 1, from);
            if (i < from) {
                return null;
            }
            if (b[i] == ',') {
                i--;
            } else if (b[i] == '{') {
                return Found.NONE;
            } else {
                return null;
            }
        }
    }

    /** The index of the quote closing the string that opens at {@code i}, or -1. */
    private static int stringEnd(byte[] b, int i, int to) {
        for (int j = i + 1; j < to; j++) {
            if (b[j] == '\\') {
                j++;
            } else if (b[j] == '"') {
                return j;
            }
        }
        return -1;
    }

    /** The index of the quote opening the string that closes at {@code i}, or -1. */
    private static int stringStartBack(byte[] b, int i, int from) {
        for (int j = i - 1; j >= from; j--) {
            if (b[j] == '"') {
                int backslashes = 0;
                for (int k = j - 1; k >= from && b[k] == '\\'; k--) {
                    backslashes++;
                }
                if (backslashes % 2 == 0) {
                    return j;
                }
            }
        }
        return -1;
    }

    /** The index of the bracket opening the object or array that closes at {@code i}, or -1. */
    private static int openingBack(byte[] b, int i, int from) {
        int depth = 0;
        for (int j = i; j >= from; j--) {
            byte c = b[j];
            if (c == '"') {
                j = stringStartBack(b, j, from);
                if (j < 0) {
                    return -1;
                }
            } else if (c == '}' || c == ']') {
                depth++;
            } else if ((c == '{' || c == '[') && --depth == 0) {
                return j;
            }
        }
        return -1;
    }

    /** The index just after the value starting at {@code i}, or -1 when it does not end before {@code to}. */
    private static int skipValue(byte[] b, int i, int to) {
        byte c = b[i];
        if (c == '"') {
            int end = stringEnd(b, i, to);
            return end < 0 ? -1 : end + 1;
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            for (int j = i; j < to; j++) {
                byte d = b[j];
                if (d == '"') {
                    j = stringEnd(b, j, to);
                    if (j < 0) {
                        return -1;
                    }
                } else if (d == '{' || d == '[') {
                    depth++;
                } else if ((d == '}' || d == ']') && --depth == 0) {
                    return j + 1;
                }
            }
            return -1;
        }
        int j = i;
        while (j < to && b[j] != ',' && b[j] != '}' && !isSpace(b[j])) {
            j++;
        }
        return j < to ? j : -1;
    }

    private static boolean equals(byte[] b, int start, int end, byte[] name) {
        if (end - start != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(byte[] b, int i, int to) {
        while (i < to && isSpace(b[i])) {
            i++;
        }
        return i;
    }

    private static int skipSpaceBack(byte[] b, int i, int from) {
        while (i >= from && isSpace(b[i])) {
            i--;
        }
        return i;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
