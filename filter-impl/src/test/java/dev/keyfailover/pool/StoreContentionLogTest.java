package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import javax.cache.Cache;

import dev.keyfailover.chain.LogThrottle;
import dev.keyfailover.chain.ThrottledLines;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * behaviour.md §8 and §12: under sustained contention (a hot key marked on many nodes, a budget
 * count every answer adds to) a shared store's contention lines are throttled per route like the
 * other lines an outage repeats, and their count still reaches the log. The cache here loses
 * every compare-and-set, as a cluster's hot entry does; time is a fake clock.
 */
class StoreContentionLogTest {

    private static final String CACHE = "contended-state";
    private static final String HINT_A = "sk-c…0001";
    private static final String HINT_B = "sk-c…0002";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ThrottledLines lines = new ThrottledLines();
    private final RepeatedLines storeLines = lines.forStore(clock, "contended");
    private final StoreCalls calls = new StoreCalls(CACHE, Duration.ofSeconds(10));
    private final StoreCalls budgetCalls = new StoreCalls(CACHE + " (budgets)", Duration.ofSeconds(10));
    private final Cache<String, String> cache = alwaysLosing();

    @BeforeEach
    void clearLogs() {
        CapturedLogs.clear();
    }

    @AfterEach
    void closeCalls() {
        calls.close();
        budgetCalls.close();
    }

    /** A cache whose entry another node changes between every read and write: each write loses. */
    @SuppressWarnings("unchecked")
    private static Cache<String, String> alwaysLosing() {
        return (Cache<String, String>) Proxy.newProxyInstance(Cache.class.getClassLoader(), new Class<?>[] {Cache.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> CACHE;
                    case "get" -> null;
                    case "putIfAbsent", "replace" -> false;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static List<CapturedLogs.Event> storeLines() {
        return CapturedLogs.events().stream()
                .filter(event -> event.logger().equals(SharedKeyStates.class.getName())
                        || event.logger().equals(SharedBudgetCounts.class.getName()))
                .toList();
    }

    private static List<String> messages() {
        return storeLines().stream().map(CapturedLogs.Event::message).toList();
    }

    @Test
    void contentionLinesOfOneStoreAreThrottledAndTheirCountIsNotLost() {
        // As JCacheKeyStateStore makes them: one contention line for all the store's keys.
        RepeatedLines.Line contention = SharedKeyStates.contentionLine(storeLines, CACHE);
        SharedKeyStates keyA = new SharedKeyStates(cache, calls, "contended|a|", HINT_A, new SharedView(), contention);
        SharedKeyStates keyB = new SharedKeyStates(cache, calls, "contended|b|", HINT_B, new SharedView(), contention);
        SharedBudgetCounts budgets = new SharedBudgetCounts(cache, budgetCalls, storeLines);
        LocalDate today = LocalDate.of(2026, 1, 1);

        for (int i = 0; i < 100; i++) {
            KeyStates.Transition mark = (i % 2 == 0 ? keyA : keyB).update(Key.ANY_MODEL,
                    current -> KeyStatus.cooling(clock.instant().plusSeconds(60)));
            assertThat(mark.changed()).as("a mark that gave way reports no transition").isFalse();
            assertThat(budgets.add("key|" + HINT_A, today, 10)).as("counted on this node only").isEqualTo(10L * (i + 1));
            clock.advance(Duration.ofMillis(90));
        }
        assertThat(messages()).as("one line of each kind in the first 10 s").containsExactly(
                "state store contended-state: contention on key sk-c…0001 (scope *): the entry kept changing under 16 "
                        + "compare-and-set attempts; this node's mark gave way to the others'",
                "state store contended-state: a budget count lost 256 races in a row; counted on this node only");

        clock.advance(LogThrottle.WINDOW); // 9,000 ms + 10 s: past the first lines' window
        keyB.update(Key.ANY_MODEL, current -> KeyStatus.cooling(clock.instant().plusSeconds(60)));
        assertThat(messages()).hasSize(3).last().isEqualTo("state store contended-state: contention on key sk-c…0002 "
                + "(scope *): the entry kept changing under 16 compare-and-set attempts; this node's mark gave way to the "
                + "others' (99 more like it in the 10 s after the last one logged)");

        // No budget line took the 99 budget races lost: the route's sweep writes them, once, a window after
        // their window ended (at 10 s).
        lines.sweep();
        assertThat(messages()).hasSize(3);
        clock.advance(Duration.ofSeconds(1));
        lines.sweep();
        lines.sweep();
        assertThat(messages()).hasSize(4).last().isEqualTo("contended: 99 more like \"state store contended-state: a "
                + "budget count lost its races, counted on this node only\" in the 10 s after the last one logged, "
                + "none since");

        keyA.update(Key.ANY_MODEL, current -> KeyStatus.cooling(clock.instant().plusSeconds(60)));
        keyA.update(Key.ANY_MODEL, current -> KeyStatus.cooling(clock.instant().plusSeconds(60)));
        lines.flush();
        lines.flush();
        assertThat(messages()).hasSize(5).last().isEqualTo("contended: 2 more like \"state store contended-state: "
                + "contention on a key, its mark gave way\" since the last one logged, until the route stopped");
        assertThat(storeLines()).allSatisfy(event -> assertThat(event.level()).isEqualTo(Level.WARN));
    }

    @Test
    void withoutARouteEveryContentionLineIsWritten() {
        SharedKeyStates key = new SharedKeyStates(cache, calls, "contended|a|", HINT_A, new SharedView(),
                SharedKeyStates.contentionLine(RepeatedLines.UNTHROTTLED, CACHE));

        for (int i = 0; i < 3; i++) {
            key.update(Key.ANY_MODEL, current -> KeyStatus.cooling(clock.instant().plusSeconds(60)));
        }

        assertThat(messages()).hasSize(3).allSatisfy(line -> assertThat(line).endsWith("gave way to the others'"));
    }
}
