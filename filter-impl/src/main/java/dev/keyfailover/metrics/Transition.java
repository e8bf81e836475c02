package dev.keyfailover.metrics;

import dev.keyfailover.api.KeyVerdict;

/** The state a key moved to, as the {@code to} tag of {@link MeterNames#TRANSITIONS}. */
public enum Transition {
    /** The key, or one model on it, started cooling (a 429, or a rate limit its headers said is used up). */
    COOLING("cooling"),
    /** The key failed authentication. */
    DISABLED("disabled"),
    /** The key's account ran out of credit or quota. */
    EXHAUSTED("exhausted"),
    /**
     * The key spent its {@code keyBudget} (behaviour.md §16): it cools for every model until its
     * window resets (a cooldown whose reason is the budget).
     */
    BUDGET("budget"),
    /** A re-check proved the key again, or an administrator reset it. The end of a cooldown, by time alone, is not counted. */
    VALID("valid");

    private final String tag;

    Transition(String tag) {
        this.tag = tag;
    }

    /** The tag value. */
    public String tag() {
        return tag;
    }

    /** The transition a verdict makes when it makes one; {@code null} for one that never does. */
    static Transition of(KeyVerdict.Action action) {
        return switch (action) {
            case COOL_DOWN -> COOLING;
            case DISABLE -> DISABLED;
            case EXHAUST -> EXHAUSTED;
            case ACCEPT -> VALID;
            case SKIP -> null;
        };
    }
}
