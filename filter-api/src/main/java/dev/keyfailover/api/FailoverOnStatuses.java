package dev.keyfailover.api;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statuses {@code failoverOn} adds to the failover list (behaviour.md §3), each with its rule:
 * their configured form, what may be named, and the rule of a status as {@link FailoverRules}
 * judges every upstream answer.
 */
final class FailoverOnStatuses {

    /** The statuses {@code failoverOn} may name run up to 599. */
    private static final int MAX_STATUS = 599;

    private final Map<Integer, KeyVerdict.Action> rules;
    /**
     * {@link #rules} by status: every upstream answer is judged, so one request's hot path reads an
     * array slot where a map would box the status and walk a tree.
     */
    private final KeyVerdict.Action[] byStatus = new KeyVerdict.Action[MAX_STATUS + 1];

    /** @param rules checked by {@link #check} */
    FailoverOnStatuses(Map<Integer, KeyVerdict.Action> rules) {
        this.rules = Collections.unmodifiableMap(new TreeMap<>(rules));
        this.rules.forEach((status, action) -> byStatus[status] = action);
    }

    /** The rule given to this status; {@code null} for none. */
    KeyVerdict.Action actionFor(int status) {
        return status >= 0 && status <= MAX_STATUS ? byStatus[status] : null;
    }

    /** Every status named, in order, with its rule. */
    Map<Integer, KeyVerdict.Action> asMap() {
        return rules;
    }

    /**
     * Adds to {@code rules} the entries of a configured list: {@code status[:cooldown|skip]},
     * comma-separated, cooldown when the rule is left out.
     *
     * @throws IllegalArgumentException naming {@code failoverOn} and the entry
     */
    static void parse(String list, Map<Integer, KeyVerdict.Action> rules) {
        for (String entry : list.split(",")) {
            if (!entry.isBlank()) {
                parseEntry(entry.trim(), rules);
            }
        }
    }

    private static void parseEntry(String entry, Map<Integer, KeyVerdict.Action> rules) {
        String[] parts = entry.split(":", 2);
        int status;
        try {
            status = Integer.parseInt(parts[0].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failoverOn: '" + entry + "' is not status[:cooldown|skip]");
        }
        String rule = parts.length == 1 ? "cooldown" : parts[1].trim().toLowerCase(Locale.ROOT);
        KeyVerdict.Action action;
        if (rule.equals("cooldown")) {
            action = KeyVerdict.Action.COOL_DOWN;
        } else if (rule.equals("skip")) {
            action = KeyVerdict.Action.SKIP;
        } else {
            throw new IllegalArgumentException("failoverOn: rule '" + rule + "' must be 'cooldown' or 'skip'");
        }
        try {
            check(status, action);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("failoverOn: " + e.getMessage());
        }
        rules.put(status, action);
    }

    /** @throws IllegalArgumentException unless the status may be named with this rule */
    static void check(int status, KeyVerdict.Action action) {
        if (status < 300 || status > MAX_STATUS || status == 401 || status == 403 || status == 429) {
            throw new IllegalArgumentException("failoverOn status must be 3xx-5xx other than 401, 403, 429: " + status);
        }
        if (action != KeyVerdict.Action.COOL_DOWN && action != KeyVerdict.Action.SKIP) {
            throw new IllegalArgumentException("failoverOn rule must be COOL_DOWN or SKIP: " + action);
        }
    }
}
