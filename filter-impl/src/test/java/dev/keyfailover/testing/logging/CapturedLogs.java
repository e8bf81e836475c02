package dev.keyfailover.testing.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.event.Level;

/**
 * Every log event of the test JVM, as the test SLF4J binding ({@link CapturingServiceProvider})
 * records it. By default events at INFO and above are recorded (and echoed to stderr, as
 * slf4j-simple did); {@link #atEveryLevel()} turns on TRACE for every logger, ours and the
 * libraries', until closed.
 */
public final class CapturedLogs {

    /** One event, its message formatted and its throwable rendered with every cause. */
    public record Event(Level level, String logger, String thread, String message, String throwable) {

        /** Message and stack trace together, as a log file would hold them. */
        public String text() {
            return message + (throwable == null ? "" : "\n" + throwable);
        }

        @Override
        public String toString() {
            return "[" + thread + "] " + level + " " + logger + " - " + text();
        }
    }

    private static final Queue<Event> EVENTS = new ConcurrentLinkedQueue<>();
    private static volatile Level threshold = Level.INFO;

    private CapturedLogs() {
    }

    /** Records every level of every logger until the returned handle is closed. */
    public static AutoCloseable atEveryLevel() {
        threshold = Level.TRACE;
        return () -> threshold = Level.INFO;
    }

    /** Forgets what was recorded so far. */
    public static void clear() {
        EVENTS.clear();
    }

    /** What was recorded since the last {@link #clear()}, in order. */
    public static List<Event> events() {
        return new ArrayList<>(EVENTS);
    }

    /** Every recorded event as text, one after the other. */
    public static String allText() {
        StringBuilder text = new StringBuilder();
        for (Event event : EVENTS) {
            text.append(event).append('\n');
        }
        return text.toString();
    }

    static boolean isEnabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    static void record(Level level, String logger, String message, Throwable throwable) {
        Event event = new Event(level, logger, Thread.currentThread().getName(), message, render(throwable));
        EVENTS.add(event);
        if (level.toInt() >= Level.INFO.toInt()) {
            System.err.println(event);
        }
    }

    private static String render(Throwable throwable) {
        if (throwable == null) {
            return null;
        }
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
