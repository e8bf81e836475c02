package dev.keyfailover.pool;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One node's view of one key's states in a shared store, with the version of each: the cache's
 * events and this node's own writes arrive in any order (events on the cache's threads, a write's
 * result on the marking thread), so a state is adopted only when it is not older than the one held.
 * Reads cost no round trip; the hot path reads the key as a whole from one reference.
 */
final class SharedView {

    private final AtomicReference<StoredStatus> wide = new AtomicReference<>(StoredStatus.NONE);
    /** VALID models are kept too (with their version), so that an older event cannot bring back a cooldown. */
    private final ConcurrentHashMap<String, StoredStatus> models = new ConcurrentHashMap<>();

    KeyStatus get(String scope) {
        return stored(scope).status();
    }

    StoredStatus stored(String scope) {
        return Key.ANY_MODEL.equals(scope) ? wide.get() : models.getOrDefault(scope, StoredStatus.NONE);
    }

    /** Takes a state the cluster holds, unless this view already holds a newer one. */
    void adopt(String scope, StoredStatus offered) {
        if (Key.ANY_MODEL.equals(scope)) {
            wide.accumulateAndGet(offered, (held, next) -> next.supersedes(held) ? next : held);
        } else {
            models.merge(scope, offered, (held, next) -> next.supersedes(held) ? next : held);
        }
    }

    /** The cluster removed the entry (an operator, an expiry): it knows nothing of the scope any more. */
    void forget(String scope) {
        if (Key.ANY_MODEL.equals(scope)) {
            wide.set(StoredStatus.NONE);
        } else {
            models.remove(scope);
        }
    }

    /**
     * A mark of this node alone, while the store does not answer (behaviour.md §12). It keeps the
     * version it changed, so the cluster's next state of the scope replaces it.
     */
    KeyStates.Transition markLocally(String scope, UnaryOperator<KeyStatus> change) {
        while (true) {
            StoredStatus held = stored(scope);
            KeyStatus next = change.apply(held.status());
            if (next.equals(held.status())) {
                return new KeyStates.Transition(held.status(), held.status());
            }
            if (replace(scope, held, new StoredStatus(next, held.version()))) {
                return new KeyStates.Transition(held.status(), next);
            }
        }
    }

    private boolean replace(String scope, StoredStatus expected, StoredStatus next) {
        if (Key.ANY_MODEL.equals(scope)) {
            return wide.compareAndSet(expected, next);
        }
        if (!models.containsKey(scope)) {
            return expected.equals(StoredStatus.NONE) && models.putIfAbsent(scope, next) == null;
        }
        return models.replace(scope, expected, next);
    }

    /** The statuses of single models that are not VALID, by model. */
    Map<String, KeyStatus> models() {
        Map<String, KeyStatus> kept = new TreeMap<>();
        models.forEach((model, stored) -> {
            if (!stored.status().equals(KeyStatus.VALID)) {
                kept.put(model, stored.status());
            }
        });
        return kept;
    }
}
