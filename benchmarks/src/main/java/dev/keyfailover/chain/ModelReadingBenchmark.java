package dev.keyfailover.chain;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What reading the request's model costs (behaviour.md §9) for a 1 MiB chat body, with the model
 * where SDKs put it (after the messages), where curl examples put it (first), and, as the
 * baseline, a full streaming parse of the same body. Run: {@code benchmarks/run-jmh.sh ModelReading}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ModelReadingBenchmark {

    @Param({"last", "first"})
    public String position;

    private byte[] body;

    @Setup
    public void body() {
        StringBuilder messages = new StringBuilder("[");
        while (messages.length() < (1 << 20)) {
            messages.append(messages.length() == 1 ? "" : ",")
                    .append("{\"role\":\"user\",\"content\":\"a \\\"model\\\": sentence of some length to fill the body\"}");
        }
        messages.append(']');
        String json = position.equals("first")
                ? "{\"model\":\"gpt-4o\",\"messages\":" + messages + ",\"stream\":true}"
                : "{\"messages\":" + messages + ",\"model\":\"gpt-4o\",\"stream\":true}";
        body = json.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public String quickScans() {
        return TopLevelString.find(body, "model");
    }

    @Benchmark
    public String fullStreamingParse() {
        return TopLevelString.parse(new java.io.ByteArrayInputStream(body), "model");
    }
}
