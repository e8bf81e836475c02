package dev.keyfailover.pool;

import java.util.Map;
import java.util.function.UnaryOperator;

import javax.cache.Cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One key's states in a shared cache (behaviour.md §12): read from the node's {@link SharedView},
 * changed on the cache first by compare-and-set, each write one version past the one it read.
 */
final class SharedKeyStates implements KeyStates {

    private static final Logger LOG = LoggerFactory.getLogger(SharedKeyStates.class);
    /** Enough for marks of one key by every request in flight; past it, the others' marks win. */
    static final int CAS_ATTEMPTS = 16;

    private final Cache<String, String> cache;
    private final StoreCalls calls;
    /** {@code <provider>|<fingerprint>|}: the cache key of a scope is this and the scope. */
    private final String prefix;
    /** The masked hint, for the log. */
    private final String hint;
    private final SharedView view;
    /** The store's contention line, one for all its keys: a hot key on many nodes repeats it (§8). */
    private final RepeatedLines.Line contention;

    SharedKeyStates(Cache<String, String> cache, StoreCalls calls, String prefix, String hint, SharedView view,
                    RepeatedLines.Line contention) {
        this.cache = cache;
        this.calls = calls;
        this.prefix = prefix;
        this.hint = hint;
        this.view = view;
        this.contention = contention;
    }

    /** The contention line of a store's keys, throttled by {@code lines}. */
    static RepeatedLines.Line contentionLine(RepeatedLines lines, String cacheName) {
        return lines.line(LOG, Level.WARN, "state store " + cacheName + ": contention on a key, its mark gave way");
    }

    @Override
    public KeyStatus get(String scope) {
        return view.get(scope);
    }

    @Override
    public Map<String, KeyStatus> models() {
        return view.models();
    }

    /**
     * The transition as the cluster made it. A store that does not answer leaves the mark to this
     * node's view; a mark that keeps losing the race to other marks of the entry gives way to them
     * (they are newer than what it read) and reports no transition.
     */
    @Override
    public Transition update(String scope, UnaryOperator<KeyStatus> change) {
        Written written;
        try {
            written = calls.call("mark a key", () -> compareAndSet(prefix + scope, change));
        } catch (StateContention e) {
            String leftOut = contention.occurred();
            if (leftOut != null) {
                LOG.warn("state store {}: contention on key {} (scope {}): {}; this node's mark gave way to the "
                        + "others'{}", cache.getName(), hint, scope, e.getMessage(), leftOut);
            }
            KeyStatus current = view.get(scope);
            return new Transition(current, current);
        }
        if (written == null) {
            return view.markLocally(scope, change);
        }
        view.adopt(scope, written.after());
        return new Transition(written.before().status(), written.after().status());
    }

    private Written compareAndSet(String cacheKey, UnaryOperator<KeyStatus> change) {
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            String line = cache.get(cacheKey);
            StoredStatus stored = StoredStatus.parse(line);
            KeyStatus next = change.apply(stored.status());
            if (next.equals(stored.status())) {
                return new Written(stored, stored);
            }
            StoredStatus written = stored.next(next);
            boolean done = line == null ? cache.putIfAbsent(cacheKey, written.line())
                    : cache.replace(cacheKey, line, written.line());
            if (done) {
                return new Written(stored, written);
            }
        }
        throw new StateContention(CAS_ATTEMPTS);
    }

    /** The entry as the compare-and-set read it, and as it left it (the same when nothing changed). */
    private record Written(StoredStatus before, StoredStatus after) {
    }
}
