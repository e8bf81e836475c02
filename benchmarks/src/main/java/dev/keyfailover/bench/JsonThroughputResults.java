package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;
import static dev.keyfailover.bench.Markdown.addedMs;
import static dev.keyfailover.bench.Markdown.errors;
import static dev.keyfailover.bench.Markdown.fmt;
import static dev.keyfailover.bench.Markdown.ms;
import static dev.keyfailover.bench.Markdown.ratio;
import static dev.keyfailover.bench.Markdown.row;

import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

/**
 * Scenario 1's results and their tables, one per concurrency.
 *
 * @param byConcurrency per concurrency and target, the load generator's result with the proxy's
 *     {@code cpuUsPerRequest} and {@code allocKiBPerRequest} added
 */
record JsonThroughputResults(int warmupSeconds, int measureSeconds, Map<Integer, Map<Target, JsonObject>> byConcurrency)
        implements Section, Charted {

    /** Requests per second, and the proxy's CPU per request, by candidate and concurrency. */
    @Override
    public List<Chart> charts() {
        Chart rps = Chart.of("s1-rps", "Scenario 1: 1 KiB JSON POST, requests per second", "req/s");
        Chart cpu = Chart.of("s1-cpu", "Scenario 1: proxy CPU per request", "CPU µs / request");
        for (int c : JsonThroughput.CONCURRENCIES) {
            Map<Target, JsonObject> results = byConcurrency.getOrDefault(c, Map.of());
            for (Target target : Target.THROUGHPUT) {
                JsonObject r = results.get(target);
                if (r == null) {
                    continue;
                }
                rps.bar(target.name(), "c = " + c, num(r, "rps"));
                if (!target.direct()) {
                    cpu.bar(target.name(), "c = " + c, num(r, "cpuUsPerRequest"));
                }
            }
        }
        return List.of(rps, cpu);
    }

    @Override
    public void writeTo(StringBuilder md) {
        md.append("## Scenario 1: 1 KiB JSON POST, 1 KiB answer\n\n");
        md.append("Closed loop, `c` client connections, ").append(measureSeconds).append(" s measured after ")
                .append(warmupSeconds).append(" s warm-up. Latency of each request as the client sees it. Proxy CPU = ")
                .append("CPU time of the candidate process (all threads, GC and JIT included; the JVM's own figure, for Portkey's ")
                .append("Node process utime + stime of `/proc/<pid>/stat`) over the cell, divided by ")
                .append("its requests: on 2 shared cores, throughput at c = 16 and 64 is bounded by the CPU each ")
                .append("request costs the proxy, the upstream and the client together. Proxy alloc = heap bytes ")
                .append("allocated by the candidate's threads per request (noise-free, unlike time; JVMs only). Portkey's ")
                .append("gateway gets each request with an `x-portkey-config` header: a fallback config whose one ")
                .append("target is the good key (`openai`, `custom_host` the upstream).\n\n");
        for (int c : JsonThroughput.CONCURRENCIES) {
            Map<Target, JsonObject> results = byConcurrency.getOrDefault(c, Map.of());
            JsonObject direct = results.get(Target.DIRECT);
            JsonObject jetty = results.get(Target.JETTY);
            md.append("### c = ").append(c).append("\n\n");
            md.append("| candidate | req/s | p50 ms | p99 ms | req/s vs direct | req/s vs Jetty | p50 vs direct | "
                    + "p50 vs Jetty | added p50 ms | proxy CPU µs/req | CPU vs Jetty | proxy alloc KiB/req | errors |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Target target : Target.THROUGHPUT) {
                JsonObject r = results.get(target);
                if (r == null && target.before()) {
                    continue; // no earlier build in this run
                }
                if (r == null) {
                    md.append("| ").append(target.name()).append(" | (no result) ||||||||||\n");
                    continue;
                }
                row(md, target.name(), fmt(num(r, "rps"), 0), ms(r, "p50us"), ms(r, "p99us"),
                        ratio(num(r, "rps"), num(direct, "rps")),
                        ratio(num(r, "rps"), num(jetty, "rps")),
                        ratio(num(r, "p50us"), num(direct, "p50us")),
                        ratio(num(r, "p50us"), num(jetty, "p50us")),
                        target.direct() ? "" : addedMs(num(r, "p50us"), num(direct, "p50us")),
                        fmt(num(r, "cpuUsPerRequest"), 0),
                        target.direct() ? "" : ratio(num(r, "cpuUsPerRequest"), num(jetty, "cpuUsPerRequest")),
                        fmt(num(r, "allocKiBPerRequest"), 1),
                        errors(r, "status-200"));
            }
            JsonObject off = results.get(Target.KEYFAILOVER);
            JsonObject on = results.get(Target.KEYFAILOVER_METRICS);
            if (off != null && on != null) {
                md.append("Metrics on minus off (issue 11, goal under 2 µs and 0.5 KiB): ")
                        .append(fmt(num(on, "cpuUsPerRequest") - num(off, "cpuUsPerRequest"), 1)).append(" µs CPU, ")
                        .append(fmt(num(on, "allocKiBPerRequest") - num(off, "allocKiBPerRequest"), 2))
                        .append(" KiB allocated per request.\n");
            }
            md.append('\n');
        }
    }
}
