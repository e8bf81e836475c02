package dev.keyfailover.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * How much of its rate limits a key has left, as the provider says on every answer
 * (behaviour.md §10): OpenAI and Azure {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}}
 * (resets as durations such as {@code 120ms}, {@code 6m0s}, {@code 1h2m3.5s}); Anthropic
 * {@code anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}}
 * (resets as RFC 3339 instants). A value that does not parse is left out, never an error.
 *
 * <p>Part of the SPI because it is what {@link Provider#rateLimits} returns: a provider with other
 * headers builds its own {@code RateLimits}, or starts from {@link #read}.
 *
 * @param windows the limits the answer spoke of, in the order above
 */
public record RateLimits(List<Window> windows) {

    /** One limit: its size, what is left and when it refills; -1 or {@code null} where unknown. */
    public record Window(String name, long limit, long remaining, Instant reset) {
    }

    /** An answer that says nothing of its limits. */
    public static final RateLimits NONE = new RateLimits(List.of());

    private static final String[] OPENAI = {"requests", "tokens"};
    private static final String[] ANTHROPIC = {"requests", "tokens", "input-tokens", "output-tokens"};
    /** Header names by family and limit, made once: every answer to a pool key is read for them. */
    private static final String[][] OPENAI_HEADERS = headerNames(OPENAI, "x-ratelimit-%2$s-%1$s");
    private static final String[][] ANTHROPIC_HEADERS = headerNames(ANTHROPIC, "anthropic-ratelimit-%1$s-%2$s");
    private static final String OPENAI_PREFIX = "x-ratelimit-";
    private static final String ANTHROPIC_PREFIX = "anthropic-ratelimit-";
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
    private static final Duration CEILING = Duration.ofDays(3650);

    public RateLimits {
        windows = List.copyOf(windows);
    }

    /** Reads the rate-limit headers of an answer; {@link #NONE} when it has none. */
    public static RateLimits read(HttpResponse response, Instant now) {
        Header[] found = found(response);
        if (found == null) {
            return NONE;
        }
        List<Window> windows = null;
        for (int i = 0; i < OPENAI.length; i++) {
            int at = 3 * i;
            windows = add(windows, window(OPENAI[i], found[at], found[at + 1], resetAfter(found[at + 2], now)));
        }
        for (int i = 0; i < ANTHROPIC.length; i++) {
            int at = 3 * (OPENAI.length + i);
            windows = add(windows, window(ANTHROPIC[i], found[at], found[at + 1], resetAt(found[at + 2])));
        }
        return windows == null ? NONE : new RateLimits(windows);
    }

    /**
     * The first header of each rate-limit name, by (family, limit, field); {@code null} when the
     * answer has none. One pass over the answer's headers: every answer to a pool key is read here
     * (issue 22: one request's hot path), and a lookup per name scanned them all eighteen times.
     */
    private static Header[] found(HttpResponse response) {
        Header[] found = null;
        for (Header header : response.getHeaders()) {
            int slot = slot(header.getName());
            if (slot >= 0) {
                found = found == null ? new Header[3 * (OPENAI.length + ANTHROPIC.length)] : found;
                found[slot] = found[slot] == null ? header : found[slot];
            }
        }
        return found;
    }

    /** Where a header goes among the rate-limit names (matched as HTTP does, ignoring case); -1 for any other. */
    private static int slot(String name) {
        if (name.regionMatches(true, 0, OPENAI_PREFIX, 0, OPENAI_PREFIX.length())) {
            return slot(name, OPENAI_HEADERS, 0);
        }
        if (name.regionMatches(true, 0, ANTHROPIC_PREFIX, 0, ANTHROPIC_PREFIX.length())) {
            return slot(name, ANTHROPIC_HEADERS, 3 * OPENAI.length);
        }
        return -1;
    }

    private static int slot(String name, String[][] family, int first) {
        for (int i = 0; i < family.length; i++) {
            for (int j = 0; j < 3; j++) {
                if (family[i][j].equalsIgnoreCase(name)) {
                    return first + 3 * i + j;
                }
            }
        }
        return -1;
    }

    /** Whether the answer spoke of no limit at all. */
    public boolean isEmpty() {
        return windows.isEmpty();
    }

    /** The limit of that name ({@code requests}, {@code tokens}, …), if the answer gave it. */
    public Optional<Window> window(String name) {
        for (Window window : windows) {
            if (window.name().equals(name)) {
                return Optional.of(window);
            }
        }
        return Optional.empty();
    }

    /**
     * Until when a limit is used up: the latest reset among the limits with nothing left and a
     * known reset; empty when none is used up, or none says when it refills.
     */
    public Optional<Instant> usedUpUntil() {
        Instant until = null;
        for (Window window : windows) {
            if (window.remaining() == 0 && window.reset() != null && (until == null || window.reset().isAfter(until))) {
                until = window.reset();
            }
        }
        return Optional.ofNullable(until);
    }

    /** The share of the request limit left, from 0 to 1; empty when limit or remaining is unknown. */
    public OptionalDouble requestShareLeft() {
        Optional<Window> requests = window("requests");
        if (requests.isEmpty() || requests.get().limit() <= 0 || requests.get().remaining() < 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.min(1.0, (double) requests.get().remaining() / requests.get().limit()));
    }

    /** For each limit, its limit, remaining and reset header names, from a pattern of (limit, field). */
    private static String[][] headerNames(String[] limits, String pattern) {
        String[][] names = new String[limits.length][];
        for (int i = 0; i < limits.length; i++) {
            names[i] = new String[] {String.format(pattern, limits[i], "limit"),
                String.format(pattern, limits[i], "remaining"), String.format(pattern, limits[i], "reset")};
        }
        return names;
    }

    private static List<Window> add(List<Window> windows, Window window) {
        if (window == null) {
            return windows;
        }
        List<Window> list = windows == null ? new ArrayList<>(2) : windows;
        list.add(window);
        return list;
    }

    private static Window window(String name, Header limit, Header remaining, Instant reset) {
        long limitValue = count(limit);
        long remainingValue = count(remaining);
        if (limitValue < 0 && remainingValue < 0 && reset == null) {
            return null;
        }
        return new Window(name, limitValue, remainingValue, reset);
    }

    private static long count(Header header) {
        if (header == null || header.getValue() == null) {
            return -1;
        }
        String value = header.getValue().trim();
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }

    /** OpenAI's reset: a duration from now such as {@code 1s}, {@code 6m0s}, {@code 120ms}, {@code 1h2m3.5s}. */
    static Instant resetAfter(Header header, Instant now) {
        Duration duration = duration(header == null ? null : header.getValue());
        return duration == null ? null : now.plus(duration);
    }

    static Duration duration(String value) {
        if (value == null || value.isBlank() || value.length() > 40) {
            return null;
        }
        Matcher part = DURATION_PART.matcher(value.trim());
        BigDecimal millis = BigDecimal.ZERO;
        int end = 0;
        while (part.find()) {
            if (part.start() != end) {
                return null;
            }
            BigDecimal amount = new BigDecimal(part.group(1));
            long unit = switch (part.group(2)) {
                case "h" -> 3_600_000L;
                case "m" -> 60_000L;
                case "s" -> 1_000L;
                default -> 1L;
            };
            millis = millis.add(amount.multiply(BigDecimal.valueOf(unit)));
            end = part.end();
        }
        if (end == 0 || end != value.trim().length()) {
            return null;
        }
        if (millis.compareTo(BigDecimal.valueOf(CEILING.toMillis())) > 0) {
            return CEILING;
        }
        return Duration.ofMillis(millis.setScale(0, java.math.RoundingMode.CEILING).longValueExact());
    }

    /** Anthropic's reset: an RFC 3339 instant. */
    static Instant resetAt(Header header) {
        if (header == null || header.getValue() == null || header.getValue().length() > 64) {
            return null;
        }
        try {
            return OffsetDateTime.parse(header.getValue().trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
