package dev.keyfailover.chain;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import dev.keyfailover.chain.TopLevelScan.Found;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;

/**
 * Finds a top-level string field of a JSON object without building its tree: first by scanning a
 * few KiB from the start, then a few KiB backwards from the end (SDKs put {@code "model"} before
 * or after a long {@code "messages"} array), and only when neither settles it, with a streaming
 * parse of the whole body. So a 1 MiB chat request costs a few KiB of scanning, not 1 MiB.
 * The scans of a buffer are {@link TopLevelScan}'s; this class chooses the windows, decodes the
 * value found, and parses when the scans cannot tell (a body in memory, or spilled to a file).
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
        Found found = quickScans(body, field);
        if (found != null) {
            return value(found, body);
        }
        return parse(new ByteArrayInputStream(body), field);
    }

    /**
     * Where the field's string value lies in a body held in memory (the bytes between its quotes),
     * when the quick scans find it; {@code null} otherwise.
     */
    static Found locate(byte[] body, String field) {
        Found found = quickScans(body, field);
        return found == null || found.start() < 0 ? null : found;
    }

    /** The shorter pair of scans, then the longer; {@code null} when neither can tell. */
    private static Found quickScans(byte[] body, String field) {
        byte[] name = field.getBytes(StandardCharsets.UTF_8);
        Found found = scans(body, FIRST_WINDOW, name);
        if (found == null && body.length > FIRST_WINDOW) {
            found = scans(body, WINDOW, name);
        }
        return found;
    }

    /** A forward scan of the first {@code window} bytes, then a backward one of the last; {@code null} when they cannot tell. */
    private static Found scans(byte[] body, int window, byte[] name) {
        Found found = TopLevelScan.forward(body, 0, Math.min(body.length, window), body.length <= window, name);
        if (found == null && body.length > window) {
            found = TopLevelScan.backward(body, Math.max(0, body.length - window), body.length, name);
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
        Found found = TopLevelScan.forward(head, 0, head.length, whole, name);
        if (found != null) {
            return value(found, head);
        }
        if (!whole) {
            found = TopLevelScan.backward(tail, 0, tail.length, name);
            if (found != null) {
                return value(found, tail);
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

    /** The string a scan found in {@code bytes}, {@code null} for a field that is absent or not a string. */
    private static String value(Found found, byte[] bytes) {
        if (found.start() < 0) {
            return null;
        }
        for (int i = found.start(); i < found.end(); i++) {
            if (bytes[i] == '\\') {
                // Escapes are rare in a model name: let the parser decode them.
                String quoted = new String(bytes, found.start() - 1, found.end() - found.start() + 2,
                        StandardCharsets.UTF_8);
                byte[] object = ("{\"v\":" + quoted + "}").getBytes(StandardCharsets.UTF_8);
                return parse(new ByteArrayInputStream(object), "v");
            }
        }
        return new String(bytes, found.start(), found.end() - found.start(), StandardCharsets.UTF_8);
    }
}
