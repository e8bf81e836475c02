package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;
import static dev.keyfailover.bench.Markdown.escape;
import static dev.keyfailover.bench.Markdown.fmt;
import static dev.keyfailover.bench.Markdown.mib;
import static dev.keyfailover.bench.Markdown.ms;
import static dev.keyfailover.bench.Markdown.row;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;

/** Scenario 5's results and their table: one row per candidate and JVM. */
record OpenStreamsResults(int holdSeconds, List<Row> rows) implements Section {

    /**
     * One candidate in one JVM.
     *
     * @param result the load generator's result: outcomes per stream, first-event latency, peak concurrent streams
     * @param upstream the upstream's counters
     * @param memory the candidate's memory figures at the end; null for direct or a JVM that no longer answers
     * @param sampledPeakThreads the candidate's thread count sampled every second while the streams were open
     * @param died whether the candidate's JVM had ended
     * @param firstError the first WARN/ERROR line of the candidate's log; empty for direct
     */
    record Row(String candidate, String jvm, JsonObject result, JsonObject upstream, JsonObject memory,
            long sampledPeakThreads, boolean died, String firstError) {
    }

    @Override
    public void writeTo(StringBuilder md) {
        md.append("## Scenario 5: 1,000 concurrent slow SSE streams\n\n");
        md.append("1,000 streams opened within 2 s, each one event per second for ").append(holdSeconds)
                .append(" s, then `[DONE]`. A stream is ok when all its events and `[DONE]` arrive; it stalls when "
                        + "nothing arrives for 8 s. Max concurrent = streams that had received their first event "
                        + "and not yet ended, at the peak. Threads and heap sampled every second in the candidate JVM; "
                        + "upstream max open = concurrent streams the upstream saw. First error = first WARN/ERROR "
                        + "line of the candidate's log.\n\n");
        md.append("| candidate | JVM, pool | ok | max concurrent | first event p50 / p99 ms | outcomes | "
                + "upstream max open | candidate peak threads | peak heap MiB | RSS peak MiB | first error in log |\n"
                + "|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            JsonObject outcomes = r.result().getJsonObject("outcomes");
            JsonObject first = r.result().getJsonObject("firstEvent");
            JsonObject memory = r.memory();
            row(md, r.candidate(), r.jvm(),
                    String.valueOf(outcomes.containsKey("ok") ? outcomes.getJsonNumber("ok").longValue() : 0),
                    String.valueOf(r.result().getInt("maxConcurrentStreams")),
                    ms(first, "p50us") + " / " + ms(first, "p99us"),
                    outcomes.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                            .collect(Collectors.joining("; ")),
                    fmt(num(r.upstream(), "streamsMaxOpen"), 0),
                    memory == null ? "" : fmt(Math.max(r.sampledPeakThreads(), num(memory, "peakThreads")), 0),
                    memory == null ? "" : mib(num(memory, "peakHeapUsed")),
                    memory == null ? "" : fmt(num(memory, "vmHwmKb") / 1024, 0),
                    (r.died() ? "JVM died; " : "") + escape(r.firstError()));
        }
        md.append('\n');
    }
}
