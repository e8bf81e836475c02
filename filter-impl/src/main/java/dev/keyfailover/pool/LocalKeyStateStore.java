package dev.keyfailover.pool;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** Key states in this node's memory: the rules of behaviour.md §1–§3 for a single node. */
public final class LocalKeyStateStore extends KeyStateStore {

    /** One is enough for any number of pools: it holds nothing itself. */
    public static final LocalKeyStateStore INSTANCE = new LocalKeyStateStore();

    private LocalKeyStateStore() {
    }

    @Override
    KeyStates statesOf(String providerName, Key key) {
        return new Local();
    }

    @Override
    public String description() {
        return "local";
    }

    @Override
    public boolean reachable() {
        return true;
    }

    /** The whole key in one atomic reference (the hot path reads it), models in a concurrent map. */
    static final class Local implements KeyStates {
        private final AtomicReference<KeyStatus> wide = new AtomicReference<>(KeyStatus.VALID);
        private final ConcurrentHashMap<String, KeyStatus> models = new ConcurrentHashMap<>();

        @Override
        public KeyStatus get(String scope) {
            return Key.ANY_MODEL.equals(scope) ? wide.get() : models.getOrDefault(scope, KeyStatus.VALID);
        }

        @Override
        public Transition update(String scope, UnaryOperator<KeyStatus> change) {
            while (true) {
                KeyStatus current = get(scope);
                KeyStatus next = change.apply(current);
                if (next.equals(current) || set(scope, current, next)) {
                    return new Transition(current, next.equals(current) ? current : next);
                }
            }
        }

        /** Replaces {@code expected} with {@code next}, or nothing when the scope changed meanwhile. */
        boolean set(String scope, KeyStatus expected, KeyStatus next) {
            if (Key.ANY_MODEL.equals(scope)) {
                return wide.compareAndSet(expected, next);
            }
            KeyStatus kept = models.get(scope);
            if (kept == null) {
                return expected.equals(KeyStatus.VALID) && models.putIfAbsent(scope, next) == null;
            }
            // A model back to VALID takes no room.
            return next.equals(KeyStatus.VALID) ? models.remove(scope, expected) : models.replace(scope, expected, next);
        }

        @Override
        public Map<String, KeyStatus> models() {
            return new TreeMap<>(models);
        }
    }
}
