package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lines that every request of an outage repeats are logged once per kind and window, with a count (behaviour.md §8). */
class LogThrottleTest {

    private static final Pattern MORE = Pattern.compile("\\((\\d+) more like it in the 10 s after the last one logged\\)");
    private static final KeyPoolExhaustion ALL_COOLING =
            new KeyPoolExhaustion("throttled-a", KeyPoolExhaustion.Kind.RATE_LIMITED, Duration.ofSeconds(3));

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ThrottledLines lines = new ThrottledLines();

    @BeforeEach
    void clearLogs() {
        CapturedLogs.clear();
    }

    private static List<String> linesOf(String route) {
        return CapturedLogs.events().stream()
                .filter(event -> event.logger().equals(KeyFailoverExec.class.getName()))
                .map(CapturedLogs.Event::message)
                .filter(message -> message.startsWith(route + ": "))
                .toList();
    }

    @Test
    void aThousandExhaustionsWithinTheWindowAreOneLineAndTheNextAfterItCountsTheOthers() {
        FailoverLog log = new FailoverLog("throttled-a", clock, lines);

        for (int i = 0; i < 1000; i++) {
            log.exhausted(ALL_COOLING, 2);
            clock.advance(Duration.ofMillis(9));
        }
        assertThat(linesOf("throttled-a")).containsExactly(
                "throttled-a: no key left after 2 attempt(s): RATE_LIMITED (retry after 3000 ms)");

        clock.advance(Duration.ofSeconds(1)); // 9,991 ms + 1 s: past the window of the first line
        log.exhausted(ALL_COOLING, 2);

        assertThat(linesOf("throttled-a")).hasSize(2).last().isEqualTo("throttled-a: no key left after 2 attempt(s): "
                + "RATE_LIMITED (retry after 3000 ms) (999 more like it in the 10 s after the last one logged)");
    }

    @Test
    void theLastOccurrenceWithinTheWindowIsOnlyCounted() {
        FailoverLog log = new FailoverLog("throttled-edge", clock, lines);
        log.budgetSpent(1);
        clock.advance(LogThrottle.WINDOW.minusMillis(1));
        log.budgetSpent(1);
        clock.advance(Duration.ofMillis(1));
        log.budgetSpent(1);

        assertThat(linesOf("throttled-edge")).containsExactly(
                "throttled-edge: requestBudget ran out after 1 attempt(s), answering 504",
                "throttled-edge: requestBudget ran out after 1 attempt(s), answering 504 "
                        + "(1 more like it in the 10 s after the last one logged)");
    }

    @Test
    void routesAndKindsAreThrottledSeparately() {
        FailoverLog a = new FailoverLog("throttled-b", clock, lines);
        FailoverLog b = new FailoverLog("throttled-c", clock, lines);
        KeyPoolExhaustion allDisabled = new KeyPoolExhaustion("throttled-b",
                KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED, Duration.ZERO);

        for (int i = 0; i < 50; i++) {
            a.exhausted(ALL_COOLING, 1);
            a.exhausted(allDisabled, 1);
            a.budgetSpent(1);
            b.exhausted(ALL_COOLING, 1);
        }

        assertThat(linesOf("throttled-b")).containsExactly(
                "throttled-b: no key left after 1 attempt(s): RATE_LIMITED (retry after 3000 ms)",
                "throttled-b: no key left after 1 attempt(s): AUTHENTICATION_FAILED (retry after 0 ms)",
                "throttled-b: requestBudget ran out after 1 attempt(s), answering 504");
        assertThat(linesOf("throttled-c")).containsExactly(
                "throttled-c: no key left after 1 attempt(s): RATE_LIMITED (retry after 3000 ms)");
    }

    @Test
    void eightThreadsCountEveryOccurrenceExactlyAcrossWindows() throws Exception {
        FailoverLog log = new FailoverLog("throttled-d", clock, lines);
        int threads = 8;
        int each = 10_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        // 80,000 ms in all, moved by every thread: windows end while the others log.
                        clock.advance(Duration.ofMillis(1));
                        log.budgetSpent(1);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        clock.advance(LogThrottle.WINDOW);
        log.budgetSpent(1); // reports what the last window counted

        List<String> lines = linesOf("throttled-d");
        long counted = 0;
        for (String line : lines) {
            Matcher more = MORE.matcher(line);
            counted += more.find() ? Long.parseLong(more.group(1)) : 0;
        }
        assertThat(lines.size()).as("about one line per 10 s of the 80 s").isBetween(8, 10);
        assertThat(lines.size() + counted).isEqualTo(threads * each + 1L);
    }
}
