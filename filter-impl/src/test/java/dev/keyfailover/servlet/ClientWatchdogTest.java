package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.Reachability;
import org.junit.jupiter.api.Test;

/** clientIdleTimeout's deadlines on a clock the test moves, swept by the test itself. */
class ClientWatchdogTest {

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ClientWatchdog watchdog = new ClientWatchdog(Duration.ofSeconds(1), clock, null);
    private final AtomicInteger fired = new AtomicInteger();

    @Test
    void anArmedWatchFiresOnceAtItsDeadline() {
        ClientWatchdog.Watch watch = watchdog.watch(fired::incrementAndGet);
        watch.arm();

        clock.advance(Duration.ofMillis(999));
        watchdog.sweep();
        assertThat(watch.expired()).isFalse();

        clock.advance(Duration.ofMillis(1));
        watchdog.sweep();
        watchdog.sweep();
        assertThat(watch.expired()).isTrue();
        assertThat(fired).hasValue(1);
    }

    @Test
    void aWatchNotArmedOrDisarmedNeverFires() {
        ClientWatchdog.Watch neverArmed = watchdog.watch(fired::incrementAndGet);
        ClientWatchdog.Watch disarmed = watchdog.watch(fired::incrementAndGet);
        disarmed.arm();
        disarmed.disarm();

        clock.advance(Duration.ofHours(1));
        watchdog.sweep();

        assertThat(neverArmed.expired()).isFalse();
        assertThat(disarmed.expired()).isFalse();
        assertThat(fired).hasValue(0);
    }

    @Test
    void aWriteEnteredFiresAtItsDeadlineAndOneLeftNeverDoes() throws Exception {
        ClientWatchdog.Watch left = watchdog.watch(fired::incrementAndGet);
        left.enter();
        clock.advance(Duration.ofMillis(999));
        left.leave();
        clock.advance(Duration.ofHours(1));
        watchdog.sweep();
        assertThat(left.expired()).isFalse();

        ClientWatchdog.Watch stuck = watchdog.watch(fired::incrementAndGet);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        CountDownLatch entered = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            ClientWatchdog.Watch own = watchdog.watch(fired::incrementAndGet);
            own.enter();
            entered.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(1)); // stands for a write the client leaves blocked
                interrupted.complete(false);
            } catch (InterruptedException e) {
                interrupted.complete(true);
            } finally {
                own.leave();
            }
        });
        writer.start();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        watchdog.sweep();

        assertThat(interrupted.get(10, TimeUnit.SECONDS)).as("the blocked write is interrupted").isTrue();
        assertThat(fired).hasValue(1);
        assertThat(stuck.expired()).as("never entered, never fires").isFalse();
        writer.join();
    }

    @Test
    void armingAgainRestartsTheCountdown() {
        ClientWatchdog.Watch watch = watchdog.watch(fired::incrementAndGet);
        watch.arm();
        clock.advance(Duration.ofMillis(800));
        watch.disarm();
        watch.arm();

        clock.advance(Duration.ofMillis(800));
        watchdog.sweep();
        assertThat(watch.expired()).as("1.6 s after the first arm, 0.8 s after the second").isFalse();

        clock.advance(Duration.ofMillis(200));
        watchdog.sweep();
        assertThat(watch.expired()).isTrue();
    }

    @Test
    void aClosedWatchIsForgottenAndNeverFires() {
        WeakReference<ClientWatchdog.Watch> watch = armedAndClosed();

        clock.advance(Duration.ofHours(1));
        watchdog.sweep();

        assertThat(fired).hasValue(0);
        Reachability.assertCollected(watch, "a closed watch");
    }

    private WeakReference<ClientWatchdog.Watch> armedAndClosed() {
        ClientWatchdog.Watch watch = watchdog.watch(fired::incrementAndGet);
        watch.arm();
        watch.close();
        return new WeakReference<>(watch);
    }

    @Test
    void aFiredWatchLeavesTheSweep() {
        WeakReference<ClientWatchdog.Watch> watch = armed();
        clock.advance(Duration.ofSeconds(1));

        watchdog.sweep();

        assertThat(fired).hasValue(1);
        Reachability.assertCollected(watch, "a fired watch");
    }

    /** An armed watch that only the watchdog holds. */
    private WeakReference<ClientWatchdog.Watch> armed() {
        ClientWatchdog.Watch watch = watchdog.watch(fired::incrementAndGet);
        watch.arm();
        return new WeakReference<>(watch);
    }

    @Test
    void aFailingExpiryActionDoesNotKeepOtherWatchesFromFiring() {
        ClientWatchdog.Watch failing = watchdog.watch(() -> {
            throw new IllegalStateException("cancel failed");
        });
        ClientWatchdog.Watch other = watchdog.watch(fired::incrementAndGet);
        failing.arm();
        other.arm();
        clock.advance(Duration.ofSeconds(1));

        watchdog.sweep();

        assertThat(failing.expired()).isTrue();
        assertThat(other.expired()).isTrue();
        assertThat(fired).hasValue(1);
    }

    @Test
    void firingInterruptsTheOwnerInsideAWatchedCallAndTheInterruptEndsThere() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CompletableFuture<String> owner = CompletableFuture.supplyAsync(() -> {
            ClientWatchdog.Watch watch = watchdog.watch(fired::incrementAndGet);
            watch.arm();
            String outcome;
            watch.enterCall();
            try {
                inCall.countDown();
                // Stands for a read or write blocked on the client's socket.
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                outcome = "never interrupted";
            } catch (InterruptedException e) {
                outcome = "interrupted";
                Thread.currentThread().interrupt(); // as a container might leave it
            } finally {
                watch.leaveCall();
            }
            return outcome + (Thread.currentThread().isInterrupted() ? ", flag left set" : ", flag cleared");
        }, runnable -> new Thread(runnable, "owner").start());

        inCall.await();
        clock.advance(Duration.ofSeconds(1));
        watchdog.sweep();

        assertThat(owner.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted, flag cleared");
        assertThat(fired).hasValue(1);
    }

    @Test
    void firingOutsideAWatchedCallInterruptsNothing() throws Exception {
        CountDownLatch armed = new CountDownLatch(1);
        CountDownLatch swept = new CountDownLatch(1);
        CompletableFuture<Boolean> interruptedOutsideACall = CompletableFuture.supplyAsync(() -> {
            ClientWatchdog.Watch watch = watchdog.watch(fired::incrementAndGet);
            watch.arm();
            armed.countDown();
            try {
                swept.await(30, TimeUnit.SECONDS);
                return Thread.currentThread().isInterrupted();
            } catch (InterruptedException e) {
                return true;
            }
        }, runnable -> new Thread(runnable, "owner").start());

        armed.await();
        clock.advance(Duration.ofSeconds(1));
        watchdog.sweep();
        assertThat(fired).hasValue(1);
        swept.countDown();

        assertThat(interruptedOutsideACall.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void watchesOpenedAndClosedByManyThreadsWhileTheSweepRunsAreNeitherLostNorFiredWhenClosed() throws Exception {
        int threads = 8;
        int rounds = 2_000;
        int keptEvery = 10; // each thread keeps 200 watches armed: 1,600 in all, past the first slots
        AtomicInteger closedFired = new AtomicInteger();
        AtomicInteger keptFired = new AtomicInteger();
        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicInteger sweepsDuringChurn = new AtomicInteger();
        Thread sweeper = new Thread(() -> {
            while (churning.get()) {
                watchdog.sweep(); // the clock stands: nothing is due, but the walk meets every claim and release
                sweepsDuringChurn.incrementAndGet();
            }
        });
        sweeper.start();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<ClientWatchdog.Watch>>> owners = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            owners.add(CompletableFuture.supplyAsync(() -> {
                List<ClientWatchdog.Watch> kept = new ArrayList<>();
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int round = 0; round < rounds; round++) {
                    if (round % keptEvery == 0) {
                        ClientWatchdog.Watch watch = watchdog.watch(keptFired::incrementAndGet);
                        watch.arm();
                        kept.add(watch);
                    }
                    try (ClientWatchdog.Watch watch = watchdog.watch(closedFired::incrementAndGet)) {
                        watch.enter();
                        watch.leave();
                        watch.arm();
                    }
                }
                return kept;
            }, runnable -> new Thread(runnable, "owner").start()));
        }
        start.countDown();
        List<ClientWatchdog.Watch> kept = new ArrayList<>();
        for (CompletableFuture<List<ClientWatchdog.Watch>> owner : owners) {
            kept.addAll(owner.get(60, TimeUnit.SECONDS));
        }
        churning.set(false);
        sweeper.join();
        assertThat(sweepsDuringChurn).as("the sweep ran while the owners churned").hasValueGreaterThan(1);

        assertThat(watchdog.watched()).as("every kept watch is held once, every closed one is gone")
                .isEqualTo(threads * rounds / keptEvery);
        clock.advance(Duration.ofSeconds(1));
        watchdog.sweep();

        assertThat(keptFired).hasValue(threads * rounds / keptEvery);
        assertThat(kept).allMatch(ClientWatchdog.Watch::expired);
        assertThat(closedFired).hasValue(0);
        assertThat(watchdog.watched()).isZero();
    }

    @Test
    void anInterruptSentWhileTheSweepRacesTheOwnersCallsNeverOutlivesTheCall() throws Exception {
        AtomicBoolean owning = new AtomicBoolean(true);
        Thread sweeper = new Thread(() -> {
            while (owning.get()) {
                clock.advance(Duration.ofSeconds(1)); // every watch armed before this is due
                watchdog.sweep();
            }
        });
        CompletableFuture<int[]> owner = CompletableFuture.supplyAsync(() -> {
            int interruptedInside = 0;
            int leftInterrupted = 0;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // Until the sweep has met the owner inside a call a hundred times (on a busy machine that takes longer).
            while (interruptedInside < 100 && System.nanoTime() < giveUp) {
                try (ClientWatchdog.Watch watch = watchdog.watch(() -> { })) {
                    watch.enter();
                    for (int spin = 0; spin < 200 && !Thread.currentThread().isInterrupted(); spin++) {
                        Thread.onSpinWait(); // stands for a write the client is slow to take
                    }
                    interruptedInside += Thread.currentThread().isInterrupted() ? 1 : 0;
                    watch.leave();
                    leftInterrupted += Thread.interrupted() ? 1 : 0;
                }
            }
            return new int[] {interruptedInside, leftInterrupted};
        }, runnable -> new Thread(runnable, "owner").start());
        sweeper.start();

        int[] counts = owner.get(60, TimeUnit.SECONDS);
        owning.set(false);
        sweeper.join();

        assertThat(counts[0]).as("calls the sweep interrupted: the threads met").isEqualTo(100);
        assertThat(counts[1]).as("calls left with the interrupt still set").isZero();
    }

    @Test
    void aStartedWatchdogSweepsByItselfOnRealTime() {
        try (ClientWatchdog running = ClientWatchdog.start("test", Duration.ofMillis(100))) {
            ClientWatchdog.Watch watch = running.watch(fired::incrementAndGet);
            watch.arm();

            await().atMost(Duration.ofSeconds(10)).until(watch::expired);
            assertThat(fired).hasValue(1);
        }
    }

    @Test
    void theSweepIntervalIsAQuarterOfTheTimeoutWithinTenMillisecondsAndOneSecond() {
        assertThat(ClientWatchdog.sweepIntervalMillis(Duration.ofSeconds(30))).isEqualTo(1_000);
        assertThat(ClientWatchdog.sweepIntervalMillis(Duration.ofSeconds(1))).isEqualTo(250);
        assertThat(ClientWatchdog.sweepIntervalMillis(Duration.ofMillis(20))).isEqualTo(10);
    }
}
