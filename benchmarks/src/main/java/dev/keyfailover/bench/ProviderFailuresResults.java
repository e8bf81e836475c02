package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;
import static dev.keyfailover.bench.Markdown.addedMs;
import static dev.keyfailover.bench.Markdown.errors;
import static dev.keyfailover.bench.Markdown.fmt;
import static dev.keyfailover.bench.Markdown.ms;
import static dev.keyfailover.bench.Markdown.row;

import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonNumber;

/**
 * Scenario 9's results and their table: per failure mode, direct and the two KeyFailoverServlet candidates.
 *
 * @param warmupSeconds the load generator's unmeasured start of each run, in which nothing fails
 * @param seconds the measurement window of each run
 */
record ProviderFailuresResults(int warmupSeconds, int seconds, List<Row> rows) implements Section {

    /**
     * One candidate under one failure mode.
     *
     * @param result the load generator's result: latency of the 200s, outcomes of every measured request
     * @param faults the upstream's counters of the window ({@link Faults#json()})
     */
    record Row(ProviderFailures.Mode mode, String candidate, JsonObject result, JsonObject faults) {

        double requests() {
            return result.getJsonObject("outcomes").values().stream()
                    .mapToDouble(v -> ((JsonNumber) v).doubleValue()).sum();
        }

        double successes() {
            return num(result.getJsonObject("outcomes"), "status-200");
        }
    }

    @Override
    public void writeTo(StringBuilder md) {
        md.append("## Scenario 9: when the provider itself fails (issue 18)\n\n");
        md.append("c = ").append(ProviderFailures.CONCURRENCY)
                .append(" closed-loop clients sending the 1 KiB POST for ")
                .append(warmupSeconds).append(" s unmeasured (nothing fails) and ").append(seconds)
                .append(" s measured, per candidate and failure mode. The fake upstream's flaky path either fails ")
                .append(ProviderFailures.FAIL_PERCENT).append(" % of requests, chosen by a hash of the request's "
                        + "number in the window with seed ").append(ProviderFailures.SEED)
                .append(" (the same sequence of verdicts every run), evenly as 500, 503 or a TCP reset after the body "
                        + "was read; or answers 503 to everything from ")
                .append(fmt(seconds / 3.0, 0)).append(" s to ").append(fmt(2 * seconds / 3.0, 0))
                .append(" s of the window (down for its middle third, else healthy). Candidates: **direct** (what a "
                        + "client sees without a proxy); **KeyFailoverServlet, no fallback** (route `retries=")
                .append(FaultRoutes.RETRIES).append("`, `retryBackoff=").append(FaultRoutes.RETRY_BACKOFF)
                .append("`); **KeyFailoverServlet + fallback route** (the same, with `fallback=healthy`, a route to "
                        + "the upstream's healthy path, `breakerThreshold=").append(FaultRoutes.BREAKER_THRESHOLD)
                .append("`, `breakerCooldown=").append(FaultRoutes.BREAKER_COOLDOWN).append("`). Each proxy in a "
                        + "fresh JVM, warmed up first with ").append(ProviderFailures.FAIL_PERCENT)
                .append(" % failures (another seed). Latency is of the successful (200) requests; added = the "
                        + "candidate's percentile minus direct's in the same failure mode. Upstream attempts per "
                        + "request = the upstream's chat requests in the window (flaky and healthy paths) / the "
                        + "client's measured requests; the fallback's share is the healthy path's. Portkey's gateway "
                        + "is not a candidate yet.\n\n");
        md.append("| provider | candidate | client requests | success | p50 ms | p99 ms | added p50 ms | added p99 ms "
                + "| upstream attempts / request | of which fallback | upstream 500 / 503 / reset / down-503 "
                + "| client errors |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (ProviderFailures.Mode mode : ProviderFailures.Mode.values()) {
            Row direct = rows.stream().filter(r -> r.mode() == mode && r.candidate().equals("direct")).findFirst()
                    .orElse(null);
            for (Row r : rows) {
                if (r.mode() == mode) {
                    write(md, r, direct);
                }
            }
        }
        md.append('\n');
    }

    private static void write(StringBuilder md, Row r, Row direct) {
        JsonObject f = r.faults();
        double requests = r.requests();
        double attempts = num(f, "flakyAttempts") + num(f, "healthyAttempts");
        boolean isDirect = r == direct;
        row(md, r.mode().label, r.candidate(), fmt(requests, 0), fmt(100 * r.successes() / requests, 2) + " %",
                ms(r.result(), "p50us"), ms(r.result(), "p99us"),
                isDirect || direct == null ? "" : addedMs(num(r.result(), "p50us"), num(direct.result(), "p50us")),
                isDirect || direct == null ? "" : addedMs(num(r.result(), "p99us"), num(direct.result(), "p99us")),
                fmt(attempts / requests, 3), fmt(num(f, "healthyAttempts") / requests, 3),
                fmt(num(f, "error500"), 0) + " / " + fmt(num(f, "overloaded503"), 0) + " / " + fmt(num(f, "reset"), 0)
                        + " / " + fmt(num(f, "down503"), 0),
                errors(r.result(), "status-200"));
    }
}
