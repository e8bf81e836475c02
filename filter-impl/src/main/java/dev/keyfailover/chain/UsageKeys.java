package dev.keyfailover.chain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where the usage objects of behaviour.md §16 open in a few bytes of an answer: a {@code "usage"} or
 * {@code "usageMetadata"} key, then a colon, then an object. A key inside a string is escaped
 * ({@code \"usage\"}), so text a model wrote is never taken for one. Searched forward (every object,
 * in order) or backward from the end (where OpenAI, Anthropic and Gemini put the usage of a JSON answer).
 */
final class UsageKeys {

    private static final byte[] USAGE = "\"usage".getBytes(StandardCharsets.US_ASCII);
    /** The length of {@code "usage}: a search back for the key before one at {@code at} ends at {@code at + 5}. */
    static final int KEY_LENGTH = USAGE.length;
    private static final byte[] METADATA = "Metadata\"".getBytes(StandardCharsets.US_ASCII);
    /**
     * Horspool's shift for {@link #USAGE} by the byte under its last place: a search moves up to six bytes at a time
     * instead of one (the naive search was the largest of our frames).
     */
    private static final int[] SHIFT = shifts(USAGE);
    /** The same for a backward search, by the byte under its first place (only the quote is there, at the start). */
    private static final int[] SHIFT_BACK = shiftsBack(USAGE);

    private UsageKeys() {
    }

    /** The index of the {@code '{'} opening the next usage object from {@code i}, or -1. */
    static int next(byte[] b, int i, int to) {
        for (int at = indexOfUsage(b, i, to); at >= 0; at = indexOfUsage(b, at + 1, to)) {
            int open = opening(b, at, to);
            if (open >= 0) {
                return open;
            }
        }
        return -1;
    }

    /**
     * The index of the {@code '{'} of the usage object whose key is {@code "usage"} or {@code "usageMetadata"} at
     * {@code at}, or -1 when that is no such key (escaped: in a string) or its value is no object.
     */
    static int opening(byte[] b, int at, int to) {
        if (at > 0 && b[at - 1] == '\\') {
            return -1;
        }
        int end = at + USAGE.length;
        if (end < to && b[end] == '"') {
            end++;
        } else if (end + METADATA.length <= to && JsonBytes.matches(b, end, end + METADATA.length, METADATA)) {
            end += METADATA.length;
        } else {
            return -1;
        }
        int colon = JsonBytes.skipSpace(b, end, to);
        if (colon >= to || b[colon] != ':') {
            return -1;
        }
        int open = JsonBytes.skipSpace(b, colon + 1, to);
        return open < to && b[open] == '{' ? open : -1;
    }

    /** The first index of {@code "usage} in {@code b[from, to)}, or -1. */
    static int indexOfUsage(byte[] b, int from, int to) {
        int last = USAGE.length - 1;
        for (int i = Math.max(from, 0); i <= to - USAGE.length; i += SHIFT[b[i + last] & 0xff]) {
            if (isKeyAt(b, i)) {
                return i;
            }
        }
        return -1;
    }

    /** The last index of {@code "usage} in {@code b[from, to)}, or -1. */
    static int lastIndexOfUsage(byte[] b, int from, int to) {
        for (int i = to - USAGE.length; i >= Math.max(from, 0); i -= SHIFT_BACK[b[i] & 0xff]) {
            if (isKeyAt(b, i)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code "usage} starts at {@code i}, its bytes compared in place (one request's hot path: the general
     * {@link JsonBytes#matches} with its length check and loop was a frame of its own under the search).
     */
    private static boolean isKeyAt(byte[] b, int i) {
        return b[i] == '"' && b[i + 1] == 'u' && b[i + 2] == 's' && b[i + 3] == 'a' && b[i + 4] == 'g'
                && b[i + 5] == 'e';
    }

    private static int[] shifts(byte[] pattern) {
        int[] shift = new int[256];
        Arrays.fill(shift, pattern.length);
        for (int j = 0; j < pattern.length - 1; j++) {
            shift[pattern[j] & 0xff] = pattern.length - 1 - j;
        }
        return shift;
    }

    private static int[] shiftsBack(byte[] pattern) {
        int[] shift = new int[256];
        Arrays.fill(shift, pattern.length);
        for (int j = pattern.length - 1; j > 0; j--) {
            shift[pattern[j] & 0xff] = j;
        }
        return shift;
    }
}
