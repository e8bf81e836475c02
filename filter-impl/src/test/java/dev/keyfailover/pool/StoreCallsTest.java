package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** behaviour.md §12: calls to a shared store, bounded in time and in threads. */
class StoreCallsTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private final CountDownLatch release = new CountDownLatch(1);
    private StoreCalls calls;
    private ThreadPoolExecutor threads;

    @AfterEach
    void stop() {
        release.countDown();
        calls.close();
    }

    @Test
    void runningOutOfCompareAndSetAttemptsIsContentionNotAStoreThatDoesNotAnswer() {
        calls = new StoreCalls("test-cache", LONG);

        assertThatThrownBy(() -> calls.call("mark a key", () -> {
            throw new StateContention(SharedKeyStates.CAS_ATTEMPTS);
        })).isInstanceOf(StateContention.class).hasMessageContaining("16 compare-and-set attempts");

        assertThat(calls.isDown()).isFalse();
        assertThat(calls.call("read", () -> "answer")).isEqualTo("answer");
    }

    @Test
    void aCallFindingEveryThreadBusyAndTheQueueFullFallsBackAtOnce() throws Exception {
        threads = StoreCalls.boundedThreads(1, 1);
        calls = new StoreCalls("test-cache", LONG, threads);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<String> busy = CompletableFuture.supplyAsync(() -> calls.call("hang", () -> {
            running.countDown();
            release.await();
            return "late";
        }));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> calls.call("wait", () -> "queued"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> threads.getQueue().size() == 1);

        long started = System.nanoTime();
        String third = calls.call("one too many", () -> "never run");

        assertThat(third).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for the timeout").isLessThan(LONG);
        assertThat(calls.isDown()).isTrue();
        release.countDown();
        assertThat(busy.get(5, TimeUnit.SECONDS)).isEqualTo("late");
        assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
        assertThat(calls.isDown()).as("a call that answered brings the store back").isFalse();
    }
}
