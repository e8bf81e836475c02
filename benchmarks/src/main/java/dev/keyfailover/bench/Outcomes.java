package dev.keyfailover.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What became of each measured request or stream, counted by name ({@code status-429}, {@code ok}, an exception's
 * name and message, ...): the {@code "outcomes"} object of every load-generator result.
 */
final class Outcomes {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String what) {
        counts.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    long count(String what) {
        LongAdder count = counts.get(what);
        return count == null ? 0 : count.sum();
    }

    /** By name in sorted order; quotes and backslashes in a name are replaced, so a message cannot break the JSON. */
    String json() {
        StringBuilder json = new StringBuilder("{");
        new TreeMap<>(counts).forEach((k, v) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(k.replace("\"", "'").replace("\\", "/")).append("\":").append(v.sum()));
        return json.append('}').toString();
    }

    /** An exception as an outcome: its simple class name and the first 60 characters of its message. */
    static String nameOf(Throwable e) {
        String name = e.getClass().getSimpleName();
        String message = e.getMessage();
        if (message != null && message.length() > 60) {
            message = message.substring(0, 60);
        }
        return message == null ? name : name + ": " + message;
    }
}
