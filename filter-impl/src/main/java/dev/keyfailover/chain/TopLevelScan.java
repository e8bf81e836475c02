package dev.keyfailover.chain;

import static dev.keyfailover.chain.JsonBytes.isSpace;
import static dev.keyfailover.chain.JsonBytes.matches;
import static dev.keyfailover.chain.JsonBytes.openingBack;
import static dev.keyfailover.chain.JsonBytes.skipSpace;
import static dev.keyfailover.chain.JsonBytes.skipSpaceBack;
import static dev.keyfailover.chain.JsonBytes.skipValue;
import static dev.keyfailover.chain.JsonBytes.stringEnd;
import static dev.keyfailover.chain.JsonBytes.stringStartBack;

/**
 * The quick scans of {@link TopLevelString}: a walk over the members of a JSON object held in a
 * byte buffer, forward from its start or backward from its end, that finds where a top-level
 * field's string value lies without decoding anything, or says that it cannot tell within the
 * bytes it was given. The JSON tokens themselves are skipped by {@link JsonBytes}.
 */
final class TopLevelScan {

    private TopLevelScan() {
    }

    /** Where a value was found: the bytes between its quotes; {@code start < 0} for a field that is absent or not a string. */
    record Found(int start, int end) {
        static final Found NONE = new Found(-1, -1);
    }

    /**
     * Scans from {@code from} to {@code to}; {@code null} when it cannot tell within that range
     * ({@code complete}: the range is the whole body, so reaching its end is an answer too).
     */
    static Found forward(byte[] b, int from, int to, boolean complete, byte[] name) {
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
            boolean wanted = matches(b, i + 1, keyEnd, name);
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
    static Found backward(byte[] b, int from, int to, byte[] name) {
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
            if (matches(b, keyStart + 1, i, name)) {
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
}
