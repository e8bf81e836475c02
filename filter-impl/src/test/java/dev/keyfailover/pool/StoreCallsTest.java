package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** behaviour.md §12: calls to a shared store, bounded in time and in threads. */
class StoreCallsTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private final CountDownLatch release = new CountDownLatch(1);
    private StoreCalls calls;

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
        calls = new StoreCalls("test-cache", LONG);
        int callers = StoreCalls.THREADS + StoreCalls.QUEUE + 1;
        ExecutorService clients = Executors.newFixedThreadPool(callers);
        try {
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> calls.call("hang", () -> {
                    release.await();
                    return "answered";
                }), clients));
            }

            CompletableFuture<Object> first = CompletableFuture.anyOf(answers.toArray(CompletableFuture[]::new));
            assertThat(first.get(5, TimeUnit.SECONDS)).as("the call too many falls back without waiting").isNull();
            assertThat(calls.isDown()).isTrue();
            release.countDown();
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            List<String> results = answers.stream().map(CompletableFuture::join).toList();
            assertThat(results).as("every thread busy and every place in the queue taken: one call refused")
                    .filteredOn(Objects::isNull).hasSize(1);
            assertThat(results).as("the calls that found a thread or a place in the queue")
                    .filteredOn(Objects::nonNull).hasSize(callers - 1).containsOnly("answered");
            assertThat(calls.isDown()).as("a call that answered brings the store back").isFalse();
        } finally {
            clients.shutdownNow();
        }
    }
}
