package dev.keyfailover.bench;

import static dev.keyfailover.bench.Markdown.fmt;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;

/** Scenario 6's results: per client rate, one row per proxy setting; counts per 1,000 client requests. */
record ModelLimitsResults(List<JsonObject> runs) implements Section {

    @Override
    public void writeTo(StringBuilder md) {
        JsonObject first = runs.get(0);
        int requests = first.getInt("requests");
        int limit = first.getInt("limit");
        int window = first.getInt("windowMillis");
        int perModel = 4 * limit * 1000 / window;
        md.append("## Scenario 6: rate limits per model (issue 10)\n\n");
        md.append("`ModelLimitsBench` (in a child JVM: a fake upstream, the proxy on embedded Jetty, a paced client), "
                + "once per client rate, on ").append(LocalDate.now()).append(". 4 keys, 2 models (requests alternate), "
                + "the upstream allows ").append(limit).append(" requests per (key, model) per ").append(window)
                .append(" ms and says so in OpenAI's `x-ratelimit-*-requests` headers (429 with `Retry-After` past it); "
                + "the pool's capacity is ").append(perModel).append(" requests/s per model, ").append(2 * perModel)
                .append("/s in all. ").append(String.format("%,d", requests)).append(" client requests, "
                + "`maxCooldown=5s`. Counts, not times; a starved machine still shifts them (the client's pacing bunches up). Per 1,000 client "
                + "requests:\n\n");
        md.append("| client rate | proxy setting | upstream 429s | client errors | upstream attempts / request |\n"
                + "|---|---|---:|---:|---:|\n");
        for (JsonObject run : runs) {
            int rate = run.getInt("rate");
            boolean firstRow = true;
            for (JsonObject row : run.getJsonArray("rows").getValuesAs(JsonObject.class)) {
                double n = row.getInt("clientRequests");
                String rateCell = firstRow ? rate + "/s (" + Math.round(100.0 * rate / (2 * perModel)) + " % of capacity)"
                        : rate + "/s";
                firstRow = false;
                Markdown.row(md, rateCell, settings(row.getString("setting")),
                        fmt(1000 * row.getInt("upstream429s") / n, 1), fmt(1000 * row.getInt("clientErrors") / n, 1),
                        fmt(row.getInt("upstreamAttempts") / n, 3));
            }
        }
        md.append("\nA 429 (or a limit at 0) about one model cooling the whole key takes the key from the other model "
                + "too; per-model state with the headers read (`cooldownScope=model`) keeps it to that model, and "
                + "choosing the key with the most left (`keyOrder=headroom`) is meant to avoid the rest. Reproduce one rate: "
                + "`java -cp \"benchmarks/target/benchmarks-*.jar:benchmarks/target/lib/*\" "
                + "dev.keyfailover.bench.pool.ModelLimitsBench --rate=76` after `benchmarks/run.sh`'s build step.\n\n");
    }

    /** {@code cooldownScope=model, keyOrder=headroom} as {@code `cooldownScope=model`, `keyOrder=headroom`}. */
    private static String settings(String setting) {
        return Arrays.stream(setting.split(", ")).map(s -> "`" + s + "`").collect(Collectors.joining(", "));
    }
}
