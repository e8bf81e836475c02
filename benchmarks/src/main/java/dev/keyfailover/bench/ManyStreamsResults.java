package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;
import static dev.keyfailover.bench.Markdown.addedMs;
import static dev.keyfailover.bench.Markdown.escape;
import static dev.keyfailover.bench.Markdown.fmt;
import static dev.keyfailover.bench.Markdown.mib;
import static dev.keyfailover.bench.Markdown.ms;
import static dev.keyfailover.bench.Markdown.row;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** Scenario 7's results and their table: one row per candidate, direct first. */
record ManyStreamsResults(int streams, int events, int rampMs, List<Row> rows) implements Section {

    /**
     * One candidate.
     *
     * @param result the load generator's result: outcomes per stream, per-event delay, peak concurrent streams
     * @param upstream the upstream's counters
     * @param afterWarmup the candidate's figures after warm-up and a {@code System.gc()}; null for direct
     * @param atEnd its figures at the end of the measured run (peaks since warm-up); null for direct or a dead JVM
     * @param afterEnd its figures after the run and a {@code System.gc()}; null for direct or a dead JVM
     * @param afterIdle the same {@link ManyStreams#IDLE_SECONDS} later, the run's idle connections let go
     * @param peakThreads its thread count, sampled every second and its JVM's peak
     * @param died whether its JVM had ended
     * @param firstError the first WARN/ERROR line of its log; empty for direct
     */
    record Row(String candidate, JsonObject result, JsonObject upstream, JsonObject afterWarmup, JsonObject atEnd,
            JsonObject afterEnd, JsonObject afterIdle, long peakThreads, boolean died, String firstError) {

        long outcomes(String prefix) {
            long n = 0;
            for (Map.Entry<String, JsonValue> e : result.getJsonObject("outcomes").entrySet()) {
                if (prefix == null ? !(e.getKey().equals("ok") || e.getKey().startsWith("cut-")
                        || e.getKey().startsWith("stalled-")) : e.getKey().startsWith(prefix)) {
                    n += ((JsonNumber) e.getValue()).longValue();
                }
            }
            return n;
        }
    }

    @Override
    public void writeTo(StringBuilder md) {
        md.append("## Scenario 7: ").append(String.format(Locale.ROOT, "%,d", streams))
                .append(" concurrent SSE streams through one node\n\n");
        md.append(String.format(Locale.ROOT, "%,d", streams)).append(" streams opened within ")
                .append(fmt(rampMs / 1000.0, 0)).append(" s, each ").append(events)
                .append(" events 100 ms apart, then `[DONE]`; the load generator (Java 25, `-Xmx3g`) holds each "
                        + "on a virtual thread of its own. Candidates on Java 25 at `-Xmx512m` with Jetty's "
                        + "`VirtualThreadPool(").append(String.format(Locale.ROOT, "%,d", ManyStreams.VT_MAX_TASKS))
                .append(")`, connector `acceptQueueSize` ").append(ManyStreams.ACCEPT_QUEUE)
                .append(" (the kernel caps it at `net.core.somaxconn`), upstream connection pool `maxConnections` ")
                .append(ManyStreams.MAX_CONNECTIONS).append(" and KeyFailoverServlet's `upstreamBufferSize` ")
                .append(ManyStreams.UPSTREAM_BUFFER_SIZE).append("; the upstream's accept queue is ")
                .append(ManyStreams.ACCEPT_QUEUE).append(". Each JVM is first warmed up with ")
                .append(Math.min(streams, 1_000)).append(" streams of 20 events. Delay = each event's arrival "
                        + "minus the upstream's send time; added = candidate minus direct at the same load. Stalled = "
                        + "nothing for 8 s. Heap after warm-up, at end and idle: used heap after a `System.gc()`, idle "
                        + "being " + ManyStreams.IDLE_SECONDS + " s after the end (pooled connections idle for 30 s "
                        + "closed); peak live "
                        + "= largest heap left after a collection while the streams ran. CPU = the candidate "
                        + "process's CPU time during the measured run.\n\n");
        md.append("| candidate | ok | errors | cut | stalled | max concurrent | upstream max open | "
                + "delay p50 / p99 / max ms | added p50 / p99 ms | heap after warm-up MiB | peak live heap MiB | "
                + "heap at end MiB | heap idle MiB | peak RSS MiB | peak threads | CPU s |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        JsonObject direct = rows.get(0).result().getJsonObject("delay");
        for (Row r : rows) {
            JsonObject delay = r.result().getJsonObject("delay");
            boolean proxy = r.afterWarmup() != null;
            row(md, r.candidate(), String.valueOf(r.outcomes("ok")), String.valueOf(r.outcomes(null)),
                    String.valueOf(r.outcomes("cut-")), String.valueOf(r.outcomes("stalled-")),
                    String.valueOf(r.result().getInt("maxConcurrentStreams")),
                    fmt(num(r.upstream(), "streamsMaxOpen"), 0),
                    ms(delay, "p50us") + " / " + ms(delay, "p99us") + " / " + ms(delay, "maxus"),
                    proxy ? addedMs(num(delay, "p50us"), num(direct, "p50us")) + " / "
                            + addedMs(num(delay, "p99us"), num(direct, "p99us")) : "",
                    proxy ? mib(num(r.afterWarmup(), "heapUsed")) : "",
                    proxy ? mib(num(r.atEnd(), "peakHeapAfterGc")) : "",
                    proxy ? mib(num(r.afterEnd(), "heapUsed")) : "",
                    proxy && r.afterIdle() != null ? mib(num(r.afterIdle(), "heapUsed")) : "",
                    proxy ? fmt(num(r.atEnd(), "vmHwmKb") / 1024, 0) : "",
                    proxy ? String.valueOf(r.peakThreads()) : "",
                    proxy ? fmt((num(r.atEnd(), "cpuNanos") - num(r.afterWarmup(), "cpuNanos")) / 1e9, 1) : "");
        }
        md.append('\n');
        for (Row r : rows) {
            md.append("- ").append(r.candidate()).append(": outcomes ")
                    .append(escape(r.result().getJsonObject("outcomes").toString())).append("; events recorded ")
                    .append(r.result().getJsonObject("delay").getJsonNumber("count")).append("; ramp took ")
                    .append(r.result().getJsonNumber("rampMs")).append(" ms");
            if (r.afterWarmup() != null) {
                md.append("; peak heap (sampled, garbage included) ")
                        .append(mib(num(r.atEnd(), "peakHeapUsed"))).append(" MiB; first error in log: ")
                        .append(r.died() ? "JVM died; " : "").append(escape(r.firstError()));
            }
            md.append('\n');
        }
        md.append('\n');
    }
}
