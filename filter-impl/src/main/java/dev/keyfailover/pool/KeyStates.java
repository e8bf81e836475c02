package dev.keyfailover.pool;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The states of one key, wherever they live ({@link KeyStateStore}): the key as a whole (scope
 * {@link Key#ANY_MODEL}) and per model (only ever VALID or COOLING). Reads come from this node's
 * memory and cost no round trip; a change is one compare-and-set transition, so that among
 * concurrent marks (on any node) exactly one makes it.
 */
interface KeyStates {

    /** The current status in a scope; {@link KeyStatus#VALID} when none is kept. */
    KeyStatus get(String scope);

    /**
     * Applies {@code change} to the current status of the scope, atomically: retried on a
     * concurrent change, so the status it returns as {@code before} is the one it really replaced.
     */
    Transition update(String scope, UnaryOperator<KeyStatus> change);

    /** The statuses kept for single models, by model. */
    Map<String, KeyStatus> models();

    /** What an update replaced, and with what; the same status twice when nothing changed. */
    record Transition(KeyStatus before, KeyStatus after) {
        boolean changed() {
            return !before.equals(after);
        }
    }
}
