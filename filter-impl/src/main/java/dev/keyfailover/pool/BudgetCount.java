package dev.keyfailover.pool;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * One owner's count in one window, as kept (and, in a shared cache, written as a line
 * {@code <window> <count>}).
 */
record BudgetCount(LocalDate window, long count) {

    static final BudgetCount NONE = new BudgetCount(LocalDate.MIN, 0);

    /** This count plus {@code amount} in {@code window}: a count of another window starts again. */
    BudgetCount plus(LocalDate window, long amount) {
        return window.equals(this.window) ? new BudgetCount(window, count + amount) : new BudgetCount(window, amount);
    }

    long in(LocalDate window) {
        return window.equals(this.window) ? count : 0;
    }

    /** Whether this count is later than {@code other}: a later window, or more in the same one (counts only grow). */
    boolean newerThan(BudgetCount other) {
        return window.isAfter(other.window) || window.equals(other.window) && count > other.count;
    }

    String line() {
        return window + " " + count;
    }

    /** A line as {@link #line()} writes it; {@link #NONE} for {@code null} or anything else. */
    static BudgetCount parse(String line) {
        if (line == null) {
            return NONE;
        }
        int space = line.indexOf(' ');
        try {
            return space < 0 ? NONE
                    : new BudgetCount(LocalDate.parse(line.substring(0, space)), Long.parseLong(line.substring(space + 1)));
        } catch (DateTimeParseException | NumberFormatException e) {
            return NONE;
        }
    }
}
