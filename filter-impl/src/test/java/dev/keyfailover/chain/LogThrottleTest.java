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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Lines that every request of an outage repeats are logged once per kind and window, with a count (behaviour.md §8). */
class LogThrottleTest {

    private static final Pattern MORE = Pattern.compile("\\((\\d+) more like it in the 10 s after the last one logged\\)");
    /** The line the sweep writes when no later line took a window's count. */
    private static final Pattern SWEPT = Pattern.compile(
            "^[a-z-]+: (\\d+) more like \"[^\"]+\" in the 10 s after the last one logged, none since$");
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
        OutageLog log = new OutageLog("throttled-a", clock, lines);

        for (int i = 0; i < 1000; i++) {
            log.exhausted(ALL_COOLING, 2);
            clock.advance(Duration.ofMillis(9));
        }
        assertThat(linesOf("throttled-a")).containsExactly(
                "throttled-a: no key left after 2 attempt(s): all configured keys are rate-limited "
                        + "(RATE_LIMITED, retry after 3000 ms)");

        clock.advance(Duration.ofSeconds(1)); // 9,991 ms + 1 s: past the window of the first line
        log.exhausted(ALL_COOLING, 2);

        assertThat(linesOf("throttled-a")).hasSize(2).last().isEqualTo("throttled-a: no key left after 2 attempt(s): "
                + "all configured keys are rate-limited (RATE_LIMITED, retry after 3000 ms) "
                + "(999 more like it in the 10 s after the last one logged)");
    }

    @Test
    void theLastOccurrenceWithinTheWindowIsOnlyCounted() {
        OutageLog log = new OutageLog("throttled-edge", clock, lines);
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
        OutageLog a = new OutageLog("throttled-b", clock, lines);
        OutageLog b = new OutageLog("throttled-c", clock, lines);
        KeyPoolExhaustion allDisabled = new KeyPoolExhaustion("throttled-b",
                KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED, Duration.ZERO);

        for (int i = 0; i < 50; i++) {
            a.exhausted(ALL_COOLING, 1);
            a.exhausted(allDisabled, 1);
            a.budgetSpent(1);
            b.exhausted(ALL_COOLING, 1);
        }

        assertThat(linesOf("throttled-b")).containsExactly(
                "throttled-b: no key left after 1 attempt(s): all configured keys are rate-limited "
                        + "(RATE_LIMITED, retry after 3000 ms)",
                "throttled-b: no key left after 1 attempt(s): all configured keys failed authentication "
                        + "(AUTHENTICATION_FAILED, retry after 0 ms)",
                "throttled-b: requestBudget ran out after 1 attempt(s), answering 504");
        assertThat(linesOf("throttled-c")).containsExactly(
                "throttled-c: no key left after 1 attempt(s): all configured keys are rate-limited "
                        + "(RATE_LIMITED, retry after 3000 ms)");
    }

    @Test
    void eightThreadsCountEveryOccurrenceExactlyAcrossWindows() throws Exception {
        OutageLog log = new OutageLog("throttled-d", clock, lines);
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

    @Test
    void countOfTheLastWindowIsLoggedWhenNoFurtherLineComes() {
        OutageLog log = new OutageLog("throttled-e", clock, lines);
        for (int i = 0; i < 100; i++) {
            log.budgetSpent(1);
            clock.advance(Duration.ofMillis(10));
        }
        // The window ended (at 10 s) less than a window ago: the next line may still come and take the count.
        clock.advance(LogThrottle.WINDOW.multipliedBy(2).minusMillis(1_001));
        lines.sweep();
        assertThat(linesOf("throttled-e")).hasSize(1);

        clock.advance(Duration.ofMillis(1));
        lines.sweep();
        lines.sweep();

        assertThat(linesOf("throttled-e")).containsExactly(
                "throttled-e: requestBudget ran out after 1 attempt(s), answering 504",
                "throttled-e: 99 more like \"requestBudget ran out\" in the 10 s after the last one logged, none since");
        assertThat(CapturedLogs.events()).filteredOn(event -> event.message().startsWith("throttled-e: 99"))
                .singleElement().extracting(CapturedLogs.Event::level).isEqualTo(Level.WARN);

        log.budgetSpent(2); // after the sweep: written at once, with nothing left to append
        assertThat(linesOf("throttled-e")).last()
                .isEqualTo("throttled-e: requestBudget ran out after 2 attempt(s), answering 504");
    }

    @Test
    void aWindowThatEndedLessThanAWindowAgoIsLeftToTheNextLine() {
        OutageLog log = new OutageLog("throttled-f", clock, lines);
        log.exhausted(ALL_COOLING, 1);
        log.exhausted(ALL_COOLING, 1);
        clock.advance(LogThrottle.WINDOW.multipliedBy(2).minusMillis(1));
        lines.sweep();
        log.exhausted(ALL_COOLING, 1);
        clock.advance(LogThrottle.WINDOW.multipliedBy(2));
        lines.sweep();

        assertThat(linesOf("throttled-f")).containsExactly(
                "throttled-f: no key left after 1 attempt(s): all configured keys are rate-limited "
                        + "(RATE_LIMITED, retry after 3000 ms)",
                "throttled-f: no key left after 1 attempt(s): all configured keys are rate-limited "
                        + "(RATE_LIMITED, retry after 3000 ms) "
                        + "(1 more like it in the 10 s after the last one logged)");
    }

    @Test
    void whatIsStillCountedIsLoggedOnceWhenTheRouteStops() {
        OutageLog log = new OutageLog("throttled-g", clock, lines);
        for (int i = 0; i < 5; i++) {
            log.exhausted(ALL_COOLING, 1);
        }
        log.budgetSpent(1);

        lines.flush(); // within the window: no later line would take the 4
        lines.flush();
        clock.advance(LogThrottle.WINDOW.multipliedBy(3));
        lines.sweep();

        assertThat(linesOf("throttled-g")).containsExactly(
                "throttled-g: no key left after 1 attempt(s): all configured keys are rate-limited "
                        + "(RATE_LIMITED, retry after 3000 ms)",
                "throttled-g: requestBudget ran out after 1 attempt(s), answering 504",
                "throttled-g: 4 more like \"no key left: RATE_LIMITED\" since the last one logged, "
                        + "until the route stopped");
    }

    @Test
    void countIsLoggedOnceWhetherTheSweepOrTheNextLineTakesIt() throws Exception {
        OutageLog log = new OutageLog("throttled-h", clock, lines);
        int threads = 8;
        int rounds = 2_000;
        int each = 5;
        // Each round starts two windows after the last: the sweep and the round's first line both want its count.
        CyclicBarrier round = new CyclicBarrier(threads + 1, () -> clock.advance(LogThrottle.WINDOW.multipliedBy(2)));
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        round.await();
                        for (int i = 0; i < each; i++) {
                            log.budgetSpent(1);
                        }
                    }
                    return null;
                }));
            }
            done.add(pool.submit(() -> {
                for (int r = 0; r < rounds; r++) {
                    round.await();
                    lines.sweep();
                }
                return null;
            }));
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long sweptDuringRounds = sweptLines("throttled-h");
        clock.advance(LogThrottle.WINDOW.multipliedBy(2));
        lines.sweep(); // the last round's count

        long logged = 0;
        long appended = 0;
        long linesWithCount = 0;
        long swept = 0;
        for (String line : linesOf("throttled-h")) {
            Matcher sweep = SWEPT.matcher(line);
            Matcher more = MORE.matcher(line);
            if (sweep.find()) {
                swept += Long.parseLong(sweep.group(1));
            } else {
                logged++;
                if (more.find()) {
                    appended += Long.parseLong(more.group(1));
                    linesWithCount++;
                }
            }
        }
        assertThat(logged).as("one line logged per round").isEqualTo(rounds);
        assertThat(logged + appended + swept).isEqualTo((long) threads * rounds * each);
        assertThat(sweptDuringRounds).as("rounds whose count the sweep took: the sweep met the requests").isPositive();
        assertThat(linesWithCount).as("rounds whose count the next line took").isPositive();
    }

    @Test
    void anOccurrenceCountedWhileItsWindowIsTakenCountsInTheNextOne() throws Exception {
        OutageLog log = new OutageLog("throttled-i", clock, lines);
        int threads = 4;
        int takes = 50;
        log.budgetSpent(1); // opens the window the threads count in; the clock stands still
        LongAdder occurred = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    while (!stop.get()) {
                        log.budgetSpent(1);
                        occurred.increment();
                    }
                    return null;
                }));
            }
            // Takes the open window again and again (as a stopping route does) while the threads add to it.
            // Each take waits for more than one occurrence per thread after the last: a thread may have
            // one occurrence counted before that take and not yet in the sum, but not two, so it finds a count.
            done.add(pool.submit(() -> {
                long seen = 0;
                for (int i = 0; i < takes; i++) {
                    while (occurred.sum() <= seen + threads) {
                        Thread.onSpinWait();
                    }
                    lines.flush();
                    seen = occurred.sum();
                }
                stop.set(true);
                return null;
            }));
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        lines.flush();

        Pattern flushed = Pattern.compile("^throttled-i: (\\d+) more like \"requestBudget ran out\" since the last one "
                + "logged, until the route stopped$");
        List<String> written = linesOf("throttled-i");
        long counted = 0;
        for (String line : written.subList(1, written.size())) {
            Matcher count = flushed.matcher(line);
            assertThat(count.find()).as(line).isTrue();
            counted += Long.parseLong(count.group(1));
        }
        assertThat(written.size() - 1).as("takes that found a count").isGreaterThanOrEqualTo(takes);
        assertThat(counted).isEqualTo(occurred.sum());
    }

    private static long sweptLines(String route) {
        return linesOf(route).stream().filter(line -> SWEPT.matcher(line).find()).count();
    }
}
