package dev.keyfailover.bench;

import static dev.keyfailover.bench.Markdown.fmt;

import java.util.Arrays;
import java.util.List;

import jakarta.json.JsonObject;

/** Scenario 8's results: the 429 phase per store, and CPU per request on the success path. */
record SharedStateResults(JsonObject run) implements Section, Charted {

    /** Upstream 429s per flip in both phases, and the paced phase's 401s, by store. */
    @Override
    public List<Chart> charts() {
        Chart chart = Chart.of("s8-per-flip", "Scenario 8: wasted upstream answers, local vs jcache (3 nodes)",
                "upstream answers");
        for (JsonObject phase : run.getJsonArray("flipPhase").getValuesAs(JsonObject.class)) {
            chart.bar(phase.getString("store"), "429s per flip, 16 clients / node",
                    (double) phase.getJsonNumber("upstream429s").longValue() / phase.getInt("flips"));
        }
        for (JsonObject phase : paced()) {
            chart.bar(phase.getString("store"), "429s per flip, paced",
                    (double) phase.getJsonNumber("upstream429s").longValue() / phase.getInt("flips"));
            chart.bar(phase.getString("store"), "401s of the dead key, paced",
                    (double) phase.getJsonNumber("upstream401s").longValue());
        }
        return List.of(chart);
    }

    private List<JsonObject> paced() {
        return run.containsKey("pacedPhase") ? run.getJsonArray("pacedPhase").getValuesAs(JsonObject.class) : List.of();
    }

    @Override
    public void writeTo(StringBuilder md) {
        int nodes = run.getInt("nodes");
        int clients = run.getInt("clients");
        md.append("## Scenario 8: 3 nodes x 16 clients, keys flipping to 429 on a schedule (issue 12)\n\n");
        md.append("`SharedStateBench` in a child JVM (`-Xmx1g`): ").append(nodes).append(" Hazelcast 5.7.0 members on "
                + "loopback (TCP-IP join), ").append(nodes).append(" proxy nodes per store (KeyFailoverServlet on "
                + "embedded Jetty, each handed its member's `CacheManager` in `dev.keyfailover.cacheManager`; defaults "
                + "otherwise), the same ").append(run.getInt("keys")).append(" keys, one upstream answering in ")
                .append(run.getInt("latencyMillis")).append(" ms. Every ").append(run.getInt("flipEveryMillis"))
                .append(" ms a key drawn with seed ").append(run.getJsonNumber("seed").longValue())
                .append(" answers 429 for 1 or 2 s (`Retry-After` = the seconds left); the same schedule for both "
                + "stores. ").append(clients).append(" client threads per node (closed loop, Java's `HttpClient`), ")
                .append(run.getInt("requestsPerClient")).append(" requests each. Counts, not times:\n\n");
        md.append("| stateStore | client requests | upstream attempts / request | upstream 429s / 1,000 | "
                + "client errors / 1,000 | flips in the run | upstream 429s per flip | time s |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonObject phase : run.getJsonArray("flipPhase").getValuesAs(JsonObject.class)) {
            double n = phase.getInt("requests");
            Markdown.row(md, "`" + phase.getString("store") + "`", fmt(n, 0),
                    fmt(phase.getJsonNumber("upstreamAttempts").longValue() / n, 3),
                    fmt(1000 * phase.getJsonNumber("upstream429s").longValue() / n, 1),
                    fmt(1000 * phase.getInt("errors") / n, 1), String.valueOf(phase.getInt("flips")),
                    fmt((double) phase.getJsonNumber("upstream429s").longValue() / phase.getInt("flips"), 1),
                    fmt(phase.getJsonNumber("wallNanos").longValue() / 1e9, 1));
        }
        if (!paced().isEmpty()) {
            writePaced(md);
        }
        double local = medianCpu("local");
        double jcache = medianCpu("jcache");
        md.append("\n**Success path, no 429s**: CPU of the whole JVM (clients, upstream with no delay, proxies, "
                + "members) per client request, ").append(run.getInt("cpuRequestsPerClient"))
                .append(" requests per client thread, both stores' nodes running side by side and measured alternately, ")
                .append(run.getInt("rounds")).append(" rounds after a warm-up; median (rounds):\n\n");
        md.append("| stateStore | CPU µs / request | rounds µs |\n|---|---:|---|\n");
        Markdown.row(md, "`local`", fmt(local, 1), rounds("local"));
        Markdown.row(md, "`jcache`", fmt(jcache, 1), rounds("jcache"));
        md.append("\njcache − local: ").append(fmt(jcache - local, 1)).append(" µs per request (")
                .append(Markdown.ratio(jcache, local)).append("); on shared cores this difference is within the "
                + "noise of a whole-process measurement; the store's own cost is JMH's `StateStoreBenchmark`.\n\n");
    }

    private void writePaced(StringBuilder md) {
        int nodes = run.getInt("nodes");
        double perNode = 1000.0 / run.getInt("paceMillis") * run.getInt("pacedClients");
        md.append("\n**Where sharing should pay** (issue 22): ").append(run.getInt("pacedClients"))
                .append(" paced client thread(s) per node, each sending one request every ").append(run.getInt("paceMillis"))
                .append(" ms, so each node sends ").append(fmt(perNode, 1)).append(" requests a second; it walks its ")
                .append(run.getInt("keys")).append(" keys in order, so the key in use gets less than one request per ")
                .append("100 ms from each node, the propagation bound. For ").append(run.getInt("pacedSeconds")).append(" s, every ")
                .append(run.getInt("pacedFlipEveryMillis")).append(" ms one of the other keys answers 429 for 2 or 3 s ")
                .append("(`Retry-After` = the seconds left), and key 1, the one every node tries first, answers 401 from ")
                .append(run.getInt("deadFromMillis")).append(" ms on, for good. A node that learns a flip only from ")
                .append("its own requests spends up to ").append(nodes).append(" 429s on it (one per node); a shared store ")
                .append("should bring that towards 1, and the dead key's 401s from ").append(nodes).append(" towards 1 ")
                .append("(re-checks of the disabled key aside):\n\n");
        md.append("| stateStore | client requests | upstream attempts / request | flips | upstream 429s | 429s per flip | "
                + "upstream 401s | client errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonObject phase : paced()) {
            double n = phase.getInt("requests");
            long tooMany = phase.getJsonNumber("upstream429s").longValue();
            Markdown.row(md, "`" + phase.getString("store") + "`", fmt(n, 0),
                    fmt(phase.getJsonNumber("upstreamAttempts").longValue() / n, 3), String.valueOf(phase.getInt("flips")),
                    String.valueOf(tooMany), fmt((double) tooMany / phase.getInt("flips"), 2),
                    String.valueOf(phase.getJsonNumber("upstream401s").longValue()),
                    String.valueOf(phase.getInt("errors")));
        }
    }

    private double[] cpus(String store) {
        return run.getJsonArray("cpu").getValuesAs(JsonObject.class).stream()
                .filter(o -> o.getString("store").equals(store))
                .mapToDouble(o -> o.getJsonNumber("cpuNanos").longValue() / 1000.0 / o.getInt("requests")).toArray();
    }

    private double medianCpu(String store) {
        double[] values = cpus(store);
        Arrays.sort(values);
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }

    private String rounds(String store) {
        return String.join(", ", Arrays.stream(cpus(store)).mapToObj(v -> fmt(v, 1)).toList());
    }

}
