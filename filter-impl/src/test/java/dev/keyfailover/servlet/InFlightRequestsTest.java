package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** maxConcurrentStreams: the count of a route's requests in flight, never above the limit, never counted twice. */
class InFlightRequestsTest {

    @Test
    void admitsUpToTheLimitAndThenRefuses() {
        InFlightRequests inFlight = new InFlightRequests(OptionalInt.of(2));

        Optional<InFlightRequests.Admission> first = inFlight.tryAdmit();
        Optional<InFlightRequests.Admission> second = inFlight.tryAdmit();
        Optional<InFlightRequests.Admission> third = inFlight.tryAdmit();

        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(third).isEmpty();
        assertThat(inFlight.count()).isEqualTo(2);
    }

    @Test
    void closingAnAdmissionTwiceCountsItOutOnce() {
        InFlightRequests inFlight = new InFlightRequests(OptionalInt.of(2));
        InFlightRequests.Admission first = inFlight.tryAdmit().orElseThrow();
        inFlight.tryAdmit().orElseThrow();

        first.close();
        first.close();

        assertThat(inFlight.count()).isEqualTo(1);
        assertThat(inFlight.tryAdmit()).isPresent();
        assertThat(inFlight.tryAdmit()).as("the second admission still holds its place").isEmpty();
    }

    @Test
    void withoutALimitEveryRequestIsAdmittedAndCounted() {
        InFlightRequests inFlight = new InFlightRequests(OptionalInt.empty());
        List<InFlightRequests.Admission> admitted = new ArrayList<>();

        for (int i = 0; i < 1000; i++) {
            admitted.add(inFlight.tryAdmit().orElseThrow());
        }
        assertThat(inFlight.count()).isEqualTo(1000);
        admitted.forEach(InFlightRequests.Admission::close);

        assertThat(inFlight.count()).isZero();
    }

    @Test
    void contendingThreadsNeverPassTheLimitAndLeaveNothingCounted() throws Exception {
        InFlightRequests inFlight = new InFlightRequests(OptionalInt.of(3));
        AtomicInteger highest = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        Optional<InFlightRequests.Admission> admission = inFlight.tryAdmit();
                        if (admission.isEmpty()) {
                            continue;
                        }
                        try (InFlightRequests.Admission held = admission.get()) {
                            highest.accumulateAndGet(inFlight.count(), Math::max);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(highest.get()).isBetween(1, 3);
        assertThat(inFlight.count()).isZero();
    }
}
