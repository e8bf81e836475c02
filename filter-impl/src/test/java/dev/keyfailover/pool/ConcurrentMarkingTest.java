package dev.keyfailover.pool;

import dev.keyfailover.settings.PoolSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.testing.MutableClock;

/**
 * behaviour.md §1 and §3: the pool is shared by concurrent requests; among concurrent marks of one
 * key exactly one reports the transition, and a due re-check goes to exactly one probe.
 */
class ConcurrentMarkingTest {

    private static final int THREADS = 32;
    private static final int ROUNDS = 300;
    private static final List<String> SECRETS = List.of(
            "sk-proj-AAAAaaaaBBBBbbbbCCCCcccc0000",
            "sk-proj-DDDDddddEEEEeeeeFFFFffff1111");

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopThreads() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private KeyPool newPool() {
        return new KeyPool("openai", SECRETS, clock, PoolSettings.defaults(), clock::advance,
                LocalKeyStateStore.INSTANCE);
    }

    /** Runs the tasks all at once behind a start gate and returns their results. */
    private <T> List<T> runAtOnce(List<Callable<T>> tasks) throws Exception {
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(executor.submit(() -> {
                ready.countDown();
                if (!start.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("start gate never opened");
                }
                return task.call();
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(10, TimeUnit.SECONDS));
        }
        return results;
    }

    /** Each of THREADS requests has taken the (VALID) first key and records the same verdict at once. */
    private List<Boolean> markFirstKeyAtOnce(KeyPool pool, int status, KeyVerdict verdict) throws Exception {
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            KeyWalk walk = pool.walk(null);
            Key key = walk.next();
            assertThat(key.index()).isZero();
            tasks.add(() -> walk.record(key, status, verdict));
        }
        return runAtOnce(tasks);
    }

    @Test
    void exactlyOneOfManyConcurrentRateLimitMarksReportsTheTransition() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            KeyPool pool = newPool();

            List<Boolean> changed = markFirstKeyAtOnce(pool, 429, KeyVerdict.coolDown(Duration.ofSeconds(30)));

            assertThat(changed).as("round %d", round).containsOnlyOnce(true).hasSize(THREADS);
            KeySnapshot first = pool.snapshot().get(0);
            assertThat(first.state()).isEqualTo(KeyState.COOLING);
            assertThat(first.cooldownRemaining()).isEqualTo(Duration.ofSeconds(30));
            assertThat(first.attempts()).isEqualTo(THREADS);
            assertThat(pool.snapshot().get(1).state()).isEqualTo(KeyState.VALID);
        }
    }

    @Test
    void exactlyOneOfManyConcurrentDisableMarksReportsTheTransition() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            KeyPool pool = newPool();

            List<Boolean> changed = markFirstKeyAtOnce(pool, 401, KeyVerdict.DISABLE);

            assertThat(changed).as("round %d", round).containsOnlyOnce(true).hasSize(THREADS);
            KeySnapshot first = pool.snapshot().get(0);
            assertThat(first.state()).isEqualTo(KeyState.DISABLED);
            assertThat(first.cooldownRemaining()).isEqualTo(Duration.ofMinutes(15));
        }
    }

    @Test
    void concurrentRateLimitsWithDifferentWaitsKeepTheLatestDeadline() throws Exception {
        for (int round = 0; round < 100; round++) {
            KeyPool pool = newPool();
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                KeyWalk walk = pool.walk(null);
                Key key = walk.next();
                Duration wait = Duration.ofSeconds(10 + t);
                tasks.add(() -> walk.record(key, 429, KeyVerdict.coolDown(wait)));
            }

            List<Boolean> changed = runAtOnce(tasks);

            assertThat(changed).as("round %d", round).containsOnlyOnce(true);
            assertThat(pool.snapshot().get(0).cooldownRemaining())
                    .as("round %d", round).isEqualTo(Duration.ofSeconds(10 + THREADS - 1));
        }
    }

    @Test
    void exactlyOneOfManyConcurrentWalksTakesADueReCheckAsItsProbe() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            KeyPool pool = newPool();
            KeyWalk disabler = pool.walk(null);
            disabler.record(disabler.next(), 401, KeyVerdict.DISABLE);
            clock.advance(Duration.ofMinutes(15));
            List<Callable<String>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                tasks.add(() -> {
                    KeyWalk walk = pool.walk(null);
                    Key key = walk.next();
                    return key.index() + (walk.isProbe(key) ? "-probe" : "");
                });
            }

            List<String> handed = runAtOnce(tasks);

            assertThat(handed).as("round %d", round).containsOnlyOnce("0-probe");
            assertThat(handed).filteredOn(s -> !s.equals("0-probe")).containsOnly("1");
        }
    }

    @Test
    void aSuccessfulProbeAnswerAndConcurrentResetsOfThatKeyBringItBackExactlyOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            KeyPool pool = newPool();
            KeyWalk disabler = pool.walk(null);
            disabler.record(disabler.next(), 401, KeyVerdict.DISABLE);
            clock.advance(Duration.ofMinutes(15));
            KeyWalk prober = pool.walk(null);
            Key probe = prober.next();
            assertThat(prober.isProbe(probe)).isTrue();
            // Every thread changes the same key in the same scope (the key as a whole): the probe's
            // 200 and administrators' resets, all let go at once by the start gate.
            List<Callable<Boolean>> tasks = new ArrayList<>();
            tasks.add(() -> prober.record(probe, 200, KeyVerdict.ACCEPT));
            for (int t = 1; t < THREADS; t++) {
                tasks.add(() -> pool.reset(0));
            }

            List<Boolean> changed = runAtOnce(tasks);

            assertThat(changed).as("round %d", round).containsOnlyOnce(true).hasSize(THREADS);
            assertThat(pool.snapshot().get(0).state()).isEqualTo(KeyState.VALID);
        }
    }
}
