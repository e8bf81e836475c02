package dev.keyfailover.chain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Reads the usage objects of the three answer shapes (behaviour.md §16) out of a few bytes of an
 * answer, without parsing the rest: the objects {@link UsageKeys} finds, and in them the counts of
 * OpenAI ({@code prompt_tokens}, {@code completion_tokens}, {@code cached_tokens}), Anthropic
 * ({@code input_tokens}, {@code output_tokens}, {@code cache_read_input_tokens},
 * {@code cache_creation_input_tokens}) and Gemini ({@code promptTokenCount},
 * {@code candidatesTokenCount}, {@code thoughtsTokenCount}, {@code cachedContentTokenCount}). Each
 * count seen replaces the one before, since streams repeat them as running totals (Anthropic's
 * {@code message_delta}, Gemini's chunks).
 */
final class UsageFields {

    private static final byte[][] NAMES = names("prompt_tokens", "completion_tokens", "cached_tokens", "input_tokens",
            "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "promptTokenCount",
            "candidatesTokenCount", "thoughtsTokenCount", "cachedContentTokenCount");
    /**
     * The fields by their name's length (one request's hot path): each key inside a usage object is compared with the
     * names of its length only, at most three, not with all eleven.
     */
    private static final int[][] BY_LENGTH = byLength(NAMES);
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

    /** Reads every usage object that lies wholly within {@code b[from, to)}, in order. */
    void scan(byte[] b, int from, int to) {
        int i = from;
        while ((i = UsageKeys.next(b, i, to)) >= 0) {
            i = readObject(b, i, to);
            if (i < 0) {
                return;
            }
        }
    }

    /**
     * Reads the last usage object that lies wholly within {@code b[from, to)}, searching back from {@code to}: one
     * request's hot path, where the cost is the distance of a JSON answer's usage from its end, not the answer's.
     */
    void scanLast(byte[] b, int from, int to) {
        for (int at = UsageKeys.lastIndexOfUsage(b, from, to); at >= 0;
                at = UsageKeys.lastIndexOfUsage(b, from, at + UsageKeys.KEY_LENGTH - 1)) {
            int open = UsageKeys.opening(b, at, to);
            if (open >= 0 && readObject(b, open, to) >= 0) {
                return;
            }
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

    /** Reads the counts of the object opening at {@code open}, if it closes: the index after it, else -1. */
    private int readObject(byte[] b, int open, int to) {
        Arrays.fill(pending, -1);
        int depth = 0;
        for (int i = open; i < to; i++) {
            byte c = b[i];
            if (c == '"') {
                int end = JsonBytes.stringEnd(b, i, to);
                if (end < 0) {
                    return -1;
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
        return -1;
    }

    private void count(byte[] b, int nameStart, int nameEnd, int value, int to) {
        int length = nameEnd - nameStart;
        if (length >= BY_LENGTH.length) {
            return;
        }
        for (int field : BY_LENGTH[length]) {
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

    private static int[][] byLength(byte[][] names) {
        int longest = Arrays.stream(names).mapToInt(name -> name.length).max().orElse(0);
        int[][] fields = new int[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int size = length;
            fields[length] = IntStream.range(0, names.length)
                    .filter(field -> names[field].length == size).toArray();
        }
        return fields;
    }

    private static byte[][] names(String... names) {
        byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
