package dev.keyfailover.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Scenario 11's pooled SSE comparison ({@link SseTail}): the bootstrap interval, the sign test, the pairing. */
class SseTailTest {

    /** A round of 5,000 events 100 to 500 µs, of which 1.2 % are slow ones of {@code slowUs}. */
    private static Histogram round(Random random, long slowUs) {
        Histogram h = LatencyJson.histogram();
        for (int i = 0; i < 5000; i++) {
            h.recordValue(i % 80 == 0 ? slowUs + random.nextInt(50) : 100 + random.nextInt(400));
        }
        return h;
    }

    private static List<Histogram> rounds(long seed, long slowUs, int n) {
        Random random = new Random(seed);
        List<Histogram> rounds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rounds.add(round(random, slowUs));
        }
        return rounds;
    }

    @Test
    void aShorterTailInEveryRoundGivesAnIntervalWhollyBelowZero() {
        SseTail tail = new SseTail(rounds(1, 800, 10), rounds(2, 2000, 10));

        assertThat(tail.p99DifferenceMs()).isCloseTo(-1.2, within(0.06));
        double[] interval = tail.interval95Ms();
        assertThat(interval[1]).isNegative();
        assertThat(interval[0]).isLessThanOrEqualTo(interval[1]);
        assertThat(tail.roundsBelow()).isEqualTo(10);
        assertThat(tail.signTestP()).isCloseTo(2.0 / 1024, within(1e-9));
    }

    @Test
    void theSameDelaysOnBothSidesGiveAnIntervalAcrossZero() {
        SseTail tail = new SseTail(rounds(3, 1000, 12), rounds(4, 1000, 12));

        double[] interval = tail.interval95Ms();
        assertThat(interval[0]).isLessThanOrEqualTo(0);
        assertThat(interval[1]).isGreaterThanOrEqualTo(0);
        assertThat(tail.signTestP()).isGreaterThan(0.05);
    }

    @Test
    void signTestIsTheTwoSidedExactBinomial() {
        assertThat(SseTail.signTestP(0, 10)).isCloseTo(2.0 / 1024, within(1e-12));
        assertThat(SseTail.signTestP(10, 10)).isCloseTo(2.0 / 1024, within(1e-12));
        assertThat(SseTail.signTestP(2, 10)).isCloseTo(2.0 * (1 + 10 + 45) / 1024, within(1e-12));
        assertThat(SseTail.signTestP(5, 10)).isEqualTo(1.0);
        assertThat(SseTail.signTestP(0, 0)).isEqualTo(1.0);
    }

    @Test
    void fewerThanTwoPairedRoundsGiveNoInterval() {
        SseTail tail = new SseTail(rounds(5, 800, 1), rounds(6, 900, 1));

        assertThat(tail.interval95Ms()).containsOnly(Double.NaN);
        assertThat(tail.p99DifferenceMs()).isNotNaN();
    }

    @Test
    void onlyRoundsWhereBothHaveEventsArePairedAndTheyKeepTheirRound() {
        Histogram fast = round(new Random(7), 600);
        Histogram slow = round(new Random(8), 3000);
        Round both = round(1, Map.of(Target.KEYFAILOVER_METRICS, result(fast), Target.MITRE, result(slow)));
        Round peerMissing = round(2, Map.of(Target.KEYFAILOVER_METRICS, result(fast)));
        Round empty = round(3, Map.of(Target.KEYFAILOVER_METRICS, result(LatencyJson.histogram()),
                Target.MITRE, result(slow)));

        SseTail tail = SseTail.of(List.of(both, peerMissing, empty), Round::sse, Target.KEYFAILOVER_METRICS,
                Target.MITRE);

        assertThat(tail.pairedRounds()).isEqualTo(1);
        assertThat(tail.candidate().get(0).getValueAtPercentile(99)).isEqualTo(fast.getValueAtPercentile(99));
        assertThat(tail.peer().get(0).getValueAtPercentile(99)).isEqualTo(slow.getValueAtPercentile(99));
    }

    @Test
    void histogramTravelsThroughTheResultLineUnchanged() {
        Histogram h = round(new Random(9), 1500);

        Histogram back = SseTail.histogram(JsonResults.parse(result(h).toString()));

        assertThat(back.getTotalCount()).isEqualTo(h.getTotalCount());
        assertThat(back.getValueAtPercentile(99)).isEqualTo(h.getValueAtPercentile(99));
        assertThat(back.getMaxValue()).isEqualTo(h.getMaxValue());
        assertThat(SseTail.histogram(Json.createObjectBuilder().add("streams", 3).build())).isNull();
    }

    private static JsonObject result(Histogram h) {
        return Json.createObjectBuilder().add("streams", h.getTotalCount() > 0 ? 1 : 0)
                .add(LatencyJson.HISTOGRAM, LatencyJson.encoded(h)).build();
    }

    private static Round round(int number, Map<Target, JsonObject> sse) {
        Machine.LoadAverage load = new Machine.LoadAverage(0, 0);
        return new Round(number, load, load, List.of(), List.copyOf(sse.keySet()), Map.of(), new LinkedHashMap<>(sse),
                Map.of());
    }
}
