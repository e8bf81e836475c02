package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyfailover.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The deadlines of upstream reads, swept on a fake clock (behaviour.md §18, Timeouts). */
class UpstreamWatchdogTest {

    private final MutableClock clock = MutableClock.atFixedStart();
    private final UpstreamWatchdog watchdog = new UpstreamWatchdog(clock);
    private final AtomicInteger closed = new AtomicInteger();

    @Test
    void anArmedWatchFiresOnTheFirstSweepAtOrPastItsDeadlineAndNotBefore() {
        UpstreamWatchdog.Watch watch = watchdog.watch(closed::incrementAndGet);
        watch.arm(300);

        clock.advance(Duration.ofMillis(299));
        watchdog.sweep();
        assertThat(closed).hasValue(0);
        assertThat(watch.fired()).isFalse();

        clock.advance(Duration.ofMillis(1));
        watchdog.sweep();
        assertThat(closed).hasValue(1);
        assertThat(watch.fired()).isTrue();
    }

    @Test
    void aFiredWatchFiresOnceAndLeavesTheSweep() {
        UpstreamWatchdog.Watch watch = watchdog.watch(closed::incrementAndGet);
        watch.arm(10);
        clock.advance(Duration.ofSeconds(1));
        watchdog.sweep();
        watch.arm(10);
        clock.advance(Duration.ofSeconds(1));
        watchdog.sweep();

        assertThat(closed).hasValue(1);
        assertThat(watchdog.watched()).isZero();
        assertThat(watch.fired()).isTrue();
    }

    @Test
    void aDisarmedWatchNeverFiresHoweverLongTheConnectionIdles() {
        UpstreamWatchdog.Watch watch = watchdog.watch(closed::incrementAndGet);
        watch.arm(100);
        watch.disarm();
        clock.advance(Duration.ofHours(1));
        watchdog.sweep();

        assertThat(closed).hasValue(0);
        assertThat(watch.fired()).isFalse();
    }

    @Test
    void reArmingMovesTheDeadlineSoAFlowingStreamIsNeverCut() {
        UpstreamWatchdog.Watch watch = watchdog.watch(closed::incrementAndGet);
        for (int read = 0; read < 50; read++) {
            watch.arm(300);
            clock.advance(Duration.ofMillis(200));
            watchdog.sweep();
            watch.disarm();
        }

        assertThat(closed).hasValue(0);
    }

    @Test
    void aTimeoutOfZeroSetsNoDeadline() {
        UpstreamWatchdog.Watch watch = watchdog.watch(closed::incrementAndGet);
        watch.arm(0);
        clock.advance(Duration.ofDays(1));
        watchdog.sweep();

        assertThat(watch.armed()).isFalse();
        assertThat(closed).hasValue(0);
    }

    @Test
    void aClosedWatchIsNoLongerSwept() {
        UpstreamWatchdog.Watch watch = watchdog.watch(closed::incrementAndGet);
        watch.arm(100);
        watch.close();
        clock.advance(Duration.ofSeconds(1));
        watchdog.sweep();

        assertThat(closed).hasValue(0);
        assertThat(watchdog.watched()).isZero();
    }

    @Test
    void oneFailingCloseDoesNotKeepTheOtherWatchesFromFiring() {
        UpstreamWatchdog.Watch failing = watchdog.watch(() -> {
            throw new IllegalStateException("close failed");
        });
        UpstreamWatchdog.Watch other = watchdog.watch(closed::incrementAndGet);
        failing.arm(100);
        other.arm(100);
        clock.advance(Duration.ofMillis(100));
        watchdog.sweep();

        assertThat(closed).hasValue(1);
        assertThat(failing.fired()).isTrue();
    }

    @Test
    void theSweepIntervalIsATenthOfTheShortestTimeoutBetween10And100Ms() {
        assertThat(UpstreamWatchdog.sweepIntervalMillis(Duration.ofMinutes(10))).isEqualTo(100);
        assertThat(UpstreamWatchdog.sweepIntervalMillis(Duration.ofMillis(300))).isEqualTo(30);
        assertThat(UpstreamWatchdog.sweepIntervalMillis(Duration.ofMillis(20))).isEqualTo(10);
    }
}
