package dev.keyfailover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import jakarta.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The load generator's {@code RESULT} line, which the orchestrator parses ({@link LoadGenerator}): its histogram
 * members, its outcomes and the {@code rps} mode's throughput, as built by {@link LatencyJson}, {@link Outcomes} and
 * {@link RpsMode}.
 */
class LoadResultLinesTest {

    @Test
    void histogramMembersAreCountPercentilesMaxAndRoundedMeanInMicroseconds() {
        Histogram h = LatencyJson.histogram();
        for (int us = 1; us <= 100; us++) {
            h.recordValue(us);
        }

        assertThat(LatencyJson.members(h))
                .isEqualTo("\"count\":100,\"p50us\":50,\"p90us\":90,\"p99us\":99,\"maxus\":100,\"meanus\":51");
    }

    @Test
    void rpsLineCarriesThroughputToOneDecimalAndParsesAsTheOrchestratorReadsIt() {
        Histogram h = LatencyJson.histogram();
        for (int i = 0; i < 1234; i++) {
            h.recordValue(250);
        }
        Outcomes outcomes = new Outcomes();
        outcomes.add("status-200");

        JsonObject line = JsonResults.parse(RpsMode.result(h, 10.0, outcomes));

        assertThat(line.getJsonNumber("rps").doubleValue()).isEqualTo(123.4);
        assertThat(line.getInt("count")).isEqualTo(1234);
        assertThat(line.getInt("p50us")).isEqualTo(250);
        assertThat(line.getJsonObject("outcomes").getInt("status-200")).isEqualTo(1);
    }

    @Test
    void outcomesAreCountedByNameInSortedOrder() {
        Outcomes outcomes = new Outcomes();
        outcomes.add("status-429");
        outcomes.add("ok");
        outcomes.add("status-429");

        assertThat(outcomes.json()).isEqualTo("{\"ok\":1,\"status-429\":2}");
        assertThat(outcomes.count("status-429")).isEqualTo(2);
        assertThat(outcomes.count("status-500")).isZero();
        assertThat(new Outcomes().json()).isEqualTo("{}");
    }

    @Test
    void anExceptionMessageWithQuotesOrBackslashesCannotBreakTheJson() {
        Outcomes outcomes = new Outcomes();
        outcomes.add(Outcomes.nameOf(new IOException("bad \"status\" line: C:\\x")));

        JsonObject parsed = JsonResults.parse(outcomes.json());

        assertThat(parsed.keySet()).containsExactly("IOException: bad 'status' line: C:/x");
    }

    @Test
    void anOutcomeNamesItsExceptionWithTheFirstSixtyCharactersOfItsMessage() {
        assertThat(Outcomes.nameOf(new IOException("x".repeat(61)))).isEqualTo("IOException: " + "x".repeat(60));
        assertThat(Outcomes.nameOf(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void aCutStreamIsBucketedByHowManyEventsItGot() {
        assertThat(StreamFates.cutAfter(0)).isEqualTo("cut-after-0-events");
        assertThat(StreamFates.cutAfter(1)).isEqualTo("cut-after-1-4-events");
        assertThat(StreamFates.cutAfter(4)).isEqualTo("cut-after-1-4-events");
        assertThat(StreamFates.cutAfter(5)).isEqualTo("cut-after-5+-events");
    }

    @Test
    void aStalledOrFailedStreamIsNamedByWhetherItHadItsFirstEvent() {
        assertThat(StreamFates.stalled(false)).isEqualTo("stalled-before-first-event");
        assertThat(StreamFates.stalled(true)).isEqualTo("stalled-mid-stream");
        assertThat(StreamFates.failed(false, new IOException("reset")))
                .isEqualTo("failed-before-first-event: IOException: reset");
        assertThat(StreamFates.failed(true, new IOException("reset"))).isEqualTo("failed-mid-stream: IOException: reset");
    }
}
