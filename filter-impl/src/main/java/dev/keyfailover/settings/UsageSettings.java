package dev.keyfailover.settings;

import java.util.Objects;
import java.util.Optional;

/**
 * How a route reads and counts the tokens its answers used (behaviour.md §16).
 *
 * @param streamUsage whether the proxy asks OpenAI streams for their usage when the client did not
 * @param maxModelTags how many model names get a {@code model} tag of their own on
 *     {@code keyfailover.tokens}; further ones count as {@code other} (clients choose model names)
 * @param keyBudget {@code keyBudget}: what each key of the route may spend per window
 * @param clientBudget {@code clientBudget}: what each client token may spend per window
 */
public record UsageSettings(StreamUsage streamUsage, int maxModelTags, Optional<Budget> keyBudget,
                            Optional<Budget> clientBudget) {

    /** 100 model names a route, then {@code other}. */
    public static final int DEFAULT_MAX_MODEL_TAGS = 100;
    /** The most a route may set. */
    public static final int MAX_MODEL_TAGS = 10_000;

    /** {@code streamUsage}. */
    public enum StreamUsage {
        /** Streams as the client asked: usage read only when it asked for it. */
        OFF,
        /**
         * {@code stream_options.include_usage} added to an OpenAI chat stream whose client did not
         * ask, and the extra usage chunk dropped from what that client gets.
         */
        INJECT
    }

    public UsageSettings {
        Objects.requireNonNull(streamUsage, "streamUsage");
        Require.between(maxModelTags, 1, MAX_MODEL_TAGS, "maxModelTags", "model");
        Objects.requireNonNull(keyBudget, "keyBudget");
        Objects.requireNonNull(clientBudget, "clientBudget");
    }

    /** Without budgets. */
    public UsageSettings(StreamUsage streamUsage, int maxModelTags) {
        this(streamUsage, maxModelTags, Optional.empty(), Optional.empty());
    }

    /** Whether a key or a client budget counts tokens: then {@code streamUsage} defaults to {@code inject}. */
    public static boolean countsTokens(Optional<Budget> keyBudget, Optional<Budget> clientBudget) {
        return keyBudget.map(b -> b.unit() == Budget.Unit.TOKENS).orElse(false)
                || clientBudget.map(b -> b.unit() == Budget.Unit.TOKENS).orElse(false);
    }

    /** No injection, {@link #DEFAULT_MAX_MODEL_TAGS}, no budget. */
    public static UsageSettings defaults() {
        return new UsageSettings(StreamUsage.OFF, DEFAULT_MAX_MODEL_TAGS);
    }
}
