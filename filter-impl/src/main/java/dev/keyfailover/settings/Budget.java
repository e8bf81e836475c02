package dev.keyfailover.settings;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A budget of a key or a client (behaviour.md §16): so many tokens or requests per UTC day or month.
 *
 * @param amount what may be spent in one window, at least 1
 */
public record Budget(long amount, Unit unit, Period period) {

    /** The accepted form, for error messages. */
    public static final String FORM = "'<n> tokens|requests per day|month', e.g. '2000000 tokens per day'";

    private static final Pattern WRITTEN = Pattern.compile(
            "(\\d{1,18})\\s+(tokens|requests)\\s+per\\s+(day|month)", Pattern.CASE_INSENSITIVE);

    /** What one answer spends. */
    public enum Unit {
        /** Its input and output tokens, as read from its usage. */
        TOKENS,
        /** 1, whatever it used. */
        REQUESTS
    }

    /** The window, in UTC. */
    public enum Period {
        /** From midnight UTC. */
        DAY,
        /** From the first of the month, midnight UTC. */
        MONTH
    }

    public Budget {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(period, "period");
        Require.atLeastOne(amount, "budget", unit.name().toLowerCase(Locale.ROOT));
    }

    /** Parses {@link #FORM}. */
    public static Budget parse(String value) {
        Matcher matcher = WRITTEN.matcher(value.trim());
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) < 1) {
            throw new IllegalArgumentException("must be written " + FORM + ", not '" + value + "'");
        }
        return new Budget(Long.parseLong(matcher.group(1)),
                Unit.valueOf(matcher.group(2).toUpperCase(Locale.ROOT)),
                Period.valueOf(matcher.group(3).toUpperCase(Locale.ROOT)));
    }

    /** What an answer that used {@code tokens} spends of this budget. */
    public long cost(long tokens) {
        return switch (unit) {
            case TOKENS -> Math.max(0, tokens);
            case REQUESTS -> 1;
        };
    }

    /** The first day of the window {@code now} is in (UTC). */
    public LocalDate windowStart(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return switch (period) {
            case DAY -> today;
            case MONTH -> today.with(TemporalAdjusters.firstDayOfMonth());
        };
    }

    /** When the window {@code now} is in ends and the budget is whole again. */
    public Instant reset(Instant now) {
        LocalDate start = windowStart(now);
        LocalDate next = switch (period) {
            case DAY -> start.plusDays(1);
            case MONTH -> start.plusMonths(1);
        };
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** As written in the configuration, e.g. {@code 2000000 tokens per day}. */
    @Override
    public String toString() {
        return amount + " " + unit.name().toLowerCase(Locale.ROOT) + " per " + period.name().toLowerCase(Locale.ROOT);
    }
}
