package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;
import static dev.keyfailover.bench.Markdown.errors;
import static dev.keyfailover.bench.Markdown.fmt;
import static dev.keyfailover.bench.Markdown.ms;
import static dev.keyfailover.bench.Markdown.ratio;
import static dev.keyfailover.bench.Markdown.row;

import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

/**
 * Scenario 10's results and their table.
 *
 * @param byTarget the load generator's result per target, with the upstream's counters over the run as
 *     {@code upstream} and the proxy's {@code cpuUsPerRequest}
 */
record CoolingKeysResults(int warmupSeconds, int measureSeconds, Map<Target, JsonObject> byTarget)
        implements Section, Charted {

    /** Upstream attempts per answer, and the proxy's CPU per request, by candidate. */
    @Override
    public List<Chart> charts() {
        Chart attempts = Chart.of("s10-attempts", "Scenario 10: two of three keys limited, upstream attempts per answer",
                "attempts / answer");
        Chart cpu = Chart.of("s10-cpu", "Scenario 10: proxy CPU per request", "CPU µs / request");
        for (Target target : Target.COOLING) {
            JsonObject r = byTarget.get(target);
            if (r == null || target.direct()) {
                continue;
            }
            JsonObject up = r.getJsonObject("upstream");
            double answers = target == Target.JETTY ? num(up, "rateLimited") : num(up, "ok");
            double all = num(up, "ok") + num(up, "rateLimited") + num(up, "unauthorized");
            attempts.bar("attempts", target.name(), answers > 0 ? all / answers : Double.NaN);
            cpu.bar("CPU", target.name(), num(r, "cpuUsPerRequest"));
        }
        return List.of(attempts, cpu);
    }

    @Override
    public void writeTo(StringBuilder md) {
        md.append("## Scenario 10: two of three keys rate-limited for the whole run (`Retry-After: 30`)\n\n");
        md.append("c = ").append(CoolingKeys.CONCURRENCY).append(" closed-loop 1 KiB POSTs, ").append(measureSeconds)
                .append(" s measured after ").append(warmupSeconds).append(" s warm-up, in the warmed-up candidate ")
                .append("of scenarios 1 to 3. The upstream answers two keys `429` with `Retry-After: 30` to every ")
                .append("request. KeyFailoverServlet's pool and Portkey's fallback config (`x-portkey-config`, ")
                .append("`strategy.mode: fallback`, three `openai` targets with `custom_host` the upstream) list the ")
                .append("two limited keys first, then the good one. Jetty's ProxyServlet has no pool: its client ")
                .append("sends the first key and gets the 429 passed through (the cost of relaying a 429, not a ")
                .append("served request). Upstream attempts and 429s per answer = the upstream's counts over the run ")
                .append("(warm-up included) over the answers it gave that reached the client (its 200s; Jetty: its ")
                .append("429s). Proxy CPU = the proxy process's CPU time (JVM: `getProcessCpuTime`; Node: utime + ")
                .append("stime of `/proc/<pid>/stat`) over the run's requests.\n\n");
        md.append("| candidate | client sees | req/s | p50 ms | p99 ms | p50 vs direct | req/s vs Jetty | upstream "
                + "attempts / answer | upstream 429s / answer | proxy CPU µs/req | CPU vs Jetty | errors |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        JsonObject direct = byTarget.get(Target.DIRECT);
        JsonObject jetty = byTarget.get(Target.JETTY);
        for (Target target : Target.COOLING) {
            JsonObject r = byTarget.get(target);
            if (r == null) {
                md.append("| ").append(target.name()).append(" | (no result) ||||||||||\n");
                continue;
            }
            boolean passesThrough = target == Target.JETTY;
            JsonObject up = r.getJsonObject("upstream");
            double answers = passesThrough ? num(up, "rateLimited") : num(up, "ok");
            double attempts = num(up, "ok") + num(up, "rateLimited") + num(up, "unauthorized");
            row(md, target.name(), passesThrough ? "429" : "200", fmt(num(r, "rps"), 0), ms(r, "p50us"),
                    ms(r, "p99us"), ratio(num(r, "p50us"), num(direct, "p50us")),
                    ratio(num(r, "rps"), num(jetty, "rps")),
                    answers > 0 ? fmt(attempts / answers, 3) : "",
                    answers > 0 ? fmt(num(up, "rateLimited") / answers, 3) : "",
                    fmt(num(r, "cpuUsPerRequest"), 0),
                    ratio(num(r, "cpuUsPerRequest"), num(jetty, "cpuUsPerRequest")),
                    errors(r, passesThrough ? "status-429" : "status-200"));
        }
        md.append('\n');
    }
}
