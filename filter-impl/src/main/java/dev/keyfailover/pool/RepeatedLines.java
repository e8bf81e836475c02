package dev.keyfailover.pool;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Where a shared store's log lines that contention repeats are throttled (behaviour.md §8, §12): the
 * route's throttles, which the pool does not know ({@code chain.ThrottledLines#forStore} makes this).
 * A store asks for one {@link Line} per kind of line when it opens.
 */
@FunctionalInterface
public interface RepeatedLines {

    /** Every occurrence written, nothing counted: for tools and tests that open a store without a route. */
    RepeatedLines UNTHROTTLED = (log, level, what) -> () -> "";

    /**
     * One kind of line.
     *
     * @param log the logger the line is written to, at {@code level}; a count no later line takes goes there too
     * @param what the kind of line, as the count's own line names it (never a key, nor what a client sent)
     */
    Line line(Logger log, Level level, String what);

    /** One kind of line of a store. */
    @FunctionalInterface
    interface Line {

        /**
         * Notes one occurrence: {@code null} when it is only counted (no allocation), else the caller
         * writes the line with this appended (empty, or how many like it were left out before it).
         */
        String occurred();
    }
}
