package dev.keyfailover.pool;

import java.time.LocalDate;

import javax.cache.Cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Budget counts in the cache shared by every node (behaviour.md §12, §16), one entry per owner
 * ({@code keyfailover-budget|<owner>}, the line of a {@link BudgetCount}): each addition is a
 * compare-and-set, so that nodes adding at once lose none of it. Reads come from this node's copy,
 * kept current by the cache's listener ({@link JCacheKeyStateStore}). A cache that does not answer
 * in time, or an addition that lost every race, is counted in this node's copy only. Its calls have
 * threads of their own, apart from the key states' marks.
 */
final class SharedBudgetCounts implements BudgetCounts, AutoCloseable {

    /** The cache keys of budget counts start with this; no route's key states do. */
    static final String PREFIX = "keyfailover-budget|";
    private static final Logger LOG = LoggerFactory.getLogger(SharedBudgetCounts.class);
    /** Every answer of every node adds to a hot count: more rounds than a key's marks need. */
    static final int CAS_ATTEMPTS = 256;

    private final Cache<String, String> cache;
    private final StoreCalls calls;
    private final LocalBudgetCounts copy = new LocalBudgetCounts();
    /** Every answer of every node adds to a hot count: its lost races repeat (§8). */
    private final RepeatedLines.Line racesLost;

    SharedBudgetCounts(Cache<String, String> cache, StoreCalls calls, RepeatedLines lines) {
        this.cache = cache;
        this.calls = calls;
        this.racesLost = lines.line(LOG, Level.WARN, "state store " + cache.getName()
                + ": a budget count lost its races, counted on this node only");
    }

    @Override
    public long add(String owner, LocalDate window, long amount) {
        BudgetCount written = calls.call("count a budget", () -> compareAndSet(PREFIX + owner, window, amount));
        if (written == null) {
            return copy.add(owner, window, amount);
        }
        copy.adopt(owner, written);
        return written.in(window);
    }

    @Override
    public long spent(String owner, LocalDate window) {
        return copy.spent(owner, window);
    }

    @Override
    public void close() {
        calls.close();
    }

    /** An entry of the cache changed: the copy takes it when it is a budget count. */
    boolean changed(String cacheKey, String line) {
        if (!cacheKey.startsWith(PREFIX)) {
            return false;
        }
        if (line != null) {
            copy.adopt(cacheKey.substring(PREFIX.length()), BudgetCount.parse(line));
        }
        return true;
    }

    private BudgetCount compareAndSet(String cacheKey, LocalDate window, long amount) {
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            String line = cache.get(cacheKey);
            BudgetCount next = BudgetCount.parse(line).plus(window, amount);
            boolean done = line == null ? cache.putIfAbsent(cacheKey, next.line())
                    : cache.replace(cacheKey, line, next.line());
            if (done) {
                return next;
            }
        }
        String leftOut = racesLost.occurred();
        if (leftOut != null) {
            LOG.warn("state store {}: a budget count lost {} races in a row; counted on this node only{}",
                    cache.getName(), CAS_ATTEMPTS, leftOut);
        }
        return null;
    }
}
