package dev.keyfailover.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations ({@code 30s}, {@code 500ms}, {@code 15m}, {@code 1h}, {@code 2d}, ISO {@code PT30S}) and sizes ({@code 64MiB}). */
final class Values {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

    private Values() {
    }

    static Duration duration(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = DURATION.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            switch (matcher.group(2)) {
                case "ms":
                    return Duration.ofMillis(amount);
                case "s":
                    return Duration.ofSeconds(amount);
                case "m":
                    return Duration.ofMinutes(amount);
                case "h":
                    return Duration.ofHours(amount);
                default:
                    return Duration.ofDays(amount);
            }
        }
        try {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (examples: 500ms, 30s, 15m, 1h, PT30S)");
        }
    }

    static long bytes(String value) {
        Matcher matcher = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a size in bytes (examples: 1048576, 512KiB, 64MiB)");
        }
        long amount;
        try {
            amount = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is too large");
        }
        String unit = matcher.group(2);
        long factor;
        if (unit.startsWith("k")) {
            factor = 1L << 10;
        } else if (unit.startsWith("m")) {
            factor = 1L << 20;
        } else if (unit.startsWith("g")) {
            factor = 1L << 30;
        } else {
            factor = 1;
        }
        return Math.multiplyExact(amount, factor);
    }

    static int positiveInt(String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a positive whole number");
        }
    }

    /** One of an enum's constants, written in any case, with {@code -} for {@code _} ({@code round-robin}). */
    static <E extends Enum<E>> E choice(String value, Class<E> type) {
        String wanted = value.trim().replace('-', '_');
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
            allowed.append(allowed.length() == 0 ? "" : ", ").append('\'')
                    .append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-')).append('\'');
        }
        throw new IllegalArgumentException("must be one of " + allowed + ", not '" + value + "'");
    }

    /** {@code true} or {@code false}. */
    static boolean bool(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException("must be 'true' or 'false', not '" + value + "'");
        }
    }
}
