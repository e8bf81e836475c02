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
 * Scenario 2's results and their table.
 *
 * @param byTarget the load generator's result per target (per-event delay percentiles in µs)
 */
record SseDelayResults(int measureSeconds, Map<Target, JsonObject> byTarget) implements Section, Charted {

    /**
     * Added delay per event, p50 and p99, by candidate; stock Jetty ProxyServlet left out (it holds events to the end
     * of the stream: its half second would flatten every other bar; the table has it).
     */
    @Override
    public List<Chart> charts() {
        Chart added = Chart.of("s2-added-delay", "Scenario 2: SSE, delay the proxy adds per event (stock Jetty "
                + "ProxyServlet, which buffers, left out)", "added ms");
        JsonObject direct = byTarget.get(Target.DIRECT);
        for (Target target : Target.STREAMING) {
            JsonObject r = byTarget.get(target);
            if (target.direct() || target == Target.JETTY || r == null || direct == null || num(r, "streams") == 0) {
                continue;
            }
            added.bar("added p50", target.name(), (num(r, "p50us") - num(direct, "p50us")) / 1000);
            added.bar("added p99", target.name(), (num(r, "p99us") - num(direct, "p99us")) / 1000);
        }
        return List.of(added);
    }

    @Override
    public void writeTo(StringBuilder md) {
        md.append("## Scenario 2: SSE, 50 events 10 ms apart\n\n");
        md.append("16 streams at a time, opened back to back for ").append(measureSeconds)
                .append(" s. Each event carries the upstream's send time (epoch µs); its delay is arrival at the ")
                .append("client minus that. Added delay = candidate's percentile minus direct's. Stock Jetty ")
                .append("ProxyServlet aggregates writes in its 32 KiB output buffer, so small events wait for the end ")
                .append("of the stream; \"+ flush\" is the same servlet flushing after each chunk, as Jetty's ")
                .append("maintainers advise for SSE (jetty/jetty.project#3459). \"To the proxy's write\": a filter in ")
                .append("front of each proxy servlet notes when each event reaches the servlet's output, against its ")
                .append("send time (the proxy has read it and done its own work; the rest of the delay is the ")
                .append("container's write and the client's read); it and CPU per event cover the cell's warm-up ")
                .append("too.\n\n");
        md.append("| candidate | streams | events | delay p50 ms | p99 ms | max ms | added p50 ms | added p99 ms | "
                + "p99 vs direct | to the proxy's write p50 ms | p99 ms | proxy CPU µs/event | errors |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        JsonObject direct = byTarget.get(Target.DIRECT);
        for (Target target : Target.STREAMING) {
            JsonObject r = byTarget.get(target);
            if (r == null && target.before()) {
                continue; // no earlier build in this run
            }
            if (r == null) {
                md.append("| ").append(target.name()).append(" | (no result) ||||||||||||\n");
                continue;
            }
            if (num(r, "streams") == 0) { // nothing to measure a delay on: the errors say why
                row(md, target.name(), "0", "0", "", "", "", "", "", "", "", "", "", errors(r, "ok"));
                continue;
            }
            row(md, target.name(), fmt(num(r, "streams"), 0), fmt(num(r, "count"), 0),
                    ms(r, "p50us"), ms(r, "p99us"), ms(r, "maxus"),
                    target.direct() ? "" : addedMs(num(r, "p50us"), num(direct, "p50us")),
                    target.direct() ? "" : addedMs(num(r, "p99us"), num(direct, "p99us")),
                    ratio(num(r, "p99us"), num(direct, "p99us")),
                    ms(r, "handoffP50us"), ms(r, "handoffP99us"), fmt(num(r, "cpuUsPerEvent"), 1),
                    errors(r, "ok"));
        }
        md.append('\n');
    }
}
