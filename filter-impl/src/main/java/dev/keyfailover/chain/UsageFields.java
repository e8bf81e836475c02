package dev.keyfailover.chain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the usage objects of the three answer shapes (behaviour.md §16) out of a few bytes of an
 * answer, without parsing the rest: every {@code "usage"} or {@code "usageMetadata"} key followed
 * by an object, and in it the counts of OpenAI ({@code prompt_tokens}, {@code completion_tokens},
 * {@code cached_tokens}), Anthropic ({@code input_tokens}, {@code output_tokens},
 * {@code cache_read_input_tokens}, {@code cache_creation_input_tokens}) and Gemini
 * ({@code promptTokenCount}, {@code candidatesTokenCount}, {@code thoughtsTokenCount},
 * {@code cachedContentTokenCount}). A key inside a string is escaped ({@code \"usage\"}), so text a
 * model wrote is never taken for one. Each count seen replaces the one before, since streams
 * repeat them as running totals (Anthropic's {@code message_delta}, Gemini's chunks).
 */
final class UsageFields {

    private static final byte[] USAGE = "\"usage".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METADATA = "Metadata\"".getBytes(StandardCharsets.US_ASCII);
    /**
     * Horspool's shift for {@link #USAGE} by the byte under its last place: a search moves up to six bytes at a time
     * instead of one (every JSON answer is searched whole; the naive search was the largest of our frames).
     */
    private static final int[] SHIFT = shifts(USAGE);
    private static final byte[][] NAMES = names("prompt_tokens", "completion_tokens", "cached_tokens", "input_tokens",
            "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "promptTokenCount",
            "candidatesTokenCount", "thoughtsTokenCount", "cachedContentTokenCount");
    static final int PROMPT = 0;
    static final int COMPLETION = 1;
    static final int CACHED = 2;
    static final int INPUT = 3;
    static final int OUTPUT = 4;
    static final int CACHE_READ = 5;
    static final int CACHE_CREATION = 6;
    static final int PROMPT_COUNT = 7;
    static final int CANDIDATES_COUNT = 8;
    static final int THOUGHTS_COUNT = 9;
    static final int CACHED_COUNT = 10;
    /** More digits than any token count has: not a count. */
    private static final int MAX_DIGITS = 15;

    private final long[] counts = new long[NAMES.length];
    /** The counts of the object being read, kept only when it closes within the bytes given. */
    private final long[] pending = new long[NAMES.length];

    UsageFields() {
        Arrays.fill(counts, -1);
    }

    /** Reads every usage object that lies wholly within {@code b[from, to)}. */
    void scan(byte[] b, int from, int to) {
        int i = from;
        while ((i = usageObject(b, i, to)) >= 0) {
            i = readObject(b, i, to);
        }
    }

    /** The usage read so far. */
    Usage usage() {
        long input = set(PROMPT) ? counts[PROMPT] : set(PROMPT_COUNT) ? counts[PROMPT_COUNT]
                : value(INPUT) + value(CACHE_READ) + value(CACHE_CREATION);
        long output = set(COMPLETION) ? counts[COMPLETION] : set(OUTPUT) ? counts[OUTPUT]
                : value(CANDIDATES_COUNT) + value(THOUGHTS_COUNT);
        long cached = Math.max(value(CACHED), Math.max(value(CACHE_READ), value(CACHED_COUNT)));
        Usage usage = new Usage(input, output, Math.min(cached, input));
        return usage.present() ? usage : Usage.NONE;
    }

    private boolean set(int field) {
        return counts[field] >= 0;
    }

    private long value(int field) {
        return Math.max(counts[field], 0);
    }

    /** The index of the {@code '{'} opening the next usage object from {@code i}, or -1. */
    static int usageObject(byte[] b, int i, int to) {
        for (int at = indexOfUsage(b, i, to); at >= 0; at = indexOfUsage(b, at + 1, to)) {
            if (at > 0 && b[at - 1] == '\\') {
                continue;
            }
            int end = at + USAGE.length;
            if (end < to && b[end] == '"') {
                end++;
            } else if (end + METADATA.length <= to && JsonBytes.matches(b, end, end + METADATA.length, METADATA)) {
                end += METADATA.length;
            } else {
                continue;
            }
            int colon = JsonBytes.skipSpace(b, end, to);
            if (colon >= to || b[colon] != ':') {
                continue;
            }
            int open = JsonBytes.skipSpace(b, colon + 1, to);
            if (open < to && b[open] == '{') {
                return open;
            }
        }
        return -1;
    }

    /** Reads the counts of the object opening at {@code open}, if it closes; the index after it (or {@code to}). */
    private int readObject(byte[] b, int open, int to) {
        Arrays.fill(pending, -1);
        int depth = 0;
        for (int i = open; i < to; i++) {
            byte c = b[i];
            if (c == '"') {
                int end = JsonBytes.stringEnd(b, i, to);
                if (end < 0) {
                    return to;
                }
                int colon = JsonBytes.skipSpace(b, end + 1, to);
                if (colon < to && b[colon] == ':') {
                    count(b, i + 1, end, JsonBytes.skipSpace(b, colon + 1, to), to);
                }
                i = end;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                for (int field = 0; field < NAMES.length; field++) {
                    if (pending[field] >= 0) {
                        counts[field] = pending[field];
                    }
                }
                return i + 1;
            }
        }
        return to;
    }

    private void count(byte[] b, int nameStart, int nameEnd, int value, int to) {
        for (int field = 0; field < NAMES.length; field++) {
            if (JsonBytes.matches(b, nameStart, nameEnd, NAMES[field])) {
                long number = number(b, value, to);
                if (number >= 0) {
                    pending[field] = number;
                }
                return;
            }
        }
    }

    /** A non-negative integer ending before a delimiter, or -1. */
    private static long number(byte[] b, int i, int to) {
        long n = 0;
        int digits = 0;
        for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
            n = n * 10 + (b[i] - '0');
            if (++digits > MAX_DIGITS) {
                return -1;
            }
        }
        if (digits == 0 || i >= to) {
            return -1;
        }
        byte next = b[i];
        return next == ',' || next == '}' || JsonBytes.isSpace(next) ? n : -1;
    }

    /** The first index of {@link #USAGE} in {@code b[from, to)}, or -1. */
    static int indexOfUsage(byte[] b, int from, int to) {
        int last = USAGE.length - 1;
        for (int i = Math.max(from, 0); i <= to - USAGE.length; i += SHIFT[b[i + last] & 0xff]) {
            if (b[i + last] == USAGE[last] && JsonBytes.matches(b, i, i + USAGE.length, USAGE)) {
                return i;
            }
        }
        return -1;
    }

    private static int[] shifts(byte[] pattern) {
        int[] shift = new int[256];
        Arrays.fill(shift, pattern.length);
        for (int j = 0; j < pattern.length - 1; j++) {
            shift[pattern[j] & 0xff] = pattern.length - 1 - j;
        }
        return shift;
    }

    private static byte[][] names(String... names) {
        byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
