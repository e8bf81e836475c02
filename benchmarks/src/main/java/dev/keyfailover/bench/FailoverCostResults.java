package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;
import static dev.keyfailover.bench.Markdown.errors;
import static dev.keyfailover.bench.Markdown.fmt;
import static dev.keyfailover.bench.Markdown.ms;

import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

/**
 * Scenario 3's results and their table; each result carries the upstream's counters as {@code upstream}.
 *
 * @param directGoodKey direct, a good key
 * @param directLimitedKey direct, a rate-limited key: one 429 round trip
 * @param otherProxies Jetty's and MITRE's ProxyServlet with a good key
 * @param keyFailoverByFailingKeys KeyFailoverServlet by the number of rate-limited keys its pool starts with
 * @param portkeyByFailingKeys Portkey's gateway by the number of rate-limited keys its fallback config starts with
 */
record FailoverCostResults(JsonObject directGoodKey, JsonObject directLimitedKey, Map<Target, JsonObject> otherProxies,
        Map<Integer, JsonObject> keyFailoverByFailingKeys, Map<Integer, JsonObject> portkeyByFailingKeys)
        implements Section, Charted {

    /** Upstream attempts per client request by how many failing keys the pool or config starts with. */
    @Override
    public List<Chart> charts() {
        Chart chart = Chart.of("s3-attempts", "Scenario 3: upstream attempts per client request", "attempts / request");
        for (int k = 0; k <= FailoverCost.MAX_FAILING_KEYS; k++) {
            String group = k + " failing key(s) first";
            chart.bar("KeyFailoverServlet", group, attempts(keyFailoverByFailingKeys.get(k)));
            chart.bar(Target.PORTKEY.name(), group, attempts(portkeyByFailingKeys.get(k)));
        }
        return List.of(chart);
    }

    private static double attempts(JsonObject r) {
        if (r == null) {
            return Double.NaN;
        }
        JsonObject up = r.getJsonObject("upstream");
        double requests = num(up, "ok") + num(up, "unauthorized");
        return requests == 0 ? Double.NaN
                : (num(up, "ok") + num(up, "rateLimited") + num(up, "unauthorized")) / requests;
    }

    @Override
    public void writeTo(StringBuilder md) {
        md.append("## Scenario 3: failover cost\n\n");
        md.append("One client (c = 1) sending the 1 KiB POST, 3 ms apart (the fake upstream's 429 says "
                + "`retry-after-ms: 1`, so the proxy's cooldown has passed and every request meets a fresh 429). "
                + "KeyFailoverServlet routes whose pool starts with 0, 1 or 2 rate-limited keys, and Portkey's gateway "
                + "with a fallback config over the same keys (`x-portkey-config`, `strategy.mode: fallback`). "
                + "Upstream attempts per request are counted by the upstream. One upstream round trip of a 429 is "
                + "measured directly. Cost per failed attempt = (p50 with k failing keys - p50 with none) / failed "
                + "attempts per request; overhead = that minus the direct 429 round trip (target: at most 0.3 ms).\n\n");
        md.append("| what | req/s | p50 ms | p99 ms | upstream attempts / request | added p50 per failed attempt ms "
                + "| overhead beyond one 429 round trip ms | errors |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
        attemptsRow(md, "direct, good key", directGoodKey, null, "status-200");
        attemptsRow(md, "direct, rate-limited key (one 429 round trip)", directLimitedKey, null, "status-429");
        for (Target target : List.of(Target.JETTY, Target.MITRE)) {
            attemptsRow(md, target.name() + ", good key", otherProxies.get(target), null, "status-200");
        }
        failingKeyRows(md, "KeyFailoverServlet", keyFailoverByFailingKeys);
        failingKeyRows(md, Target.PORTKEY.name(), portkeyByFailingKeys);
        md.append('\n');
    }

    private void failingKeyRows(StringBuilder md, String name, Map<Integer, JsonObject> byFailingKeys) {
        JsonObject none = byFailingKeys.get(0);
        for (int k = 0; k <= FailoverCost.MAX_FAILING_KEYS; k++) {
            attemptsRow(md, name + ", " + k + " failing key(s)", byFailingKeys.get(k), k == 0 ? null : none,
                    "status-200");
        }
    }

    /** A row; with {@code base} (the same route without failing keys), the cost of each failed attempt. */
    private void attemptsRow(StringBuilder md, String what, JsonObject r, JsonObject base, String good) {
        if (r == null) {
            md.append("| ").append(what).append(" | (no result) |||||||\n");
            return;
        }
        JsonObject up = r.getJsonObject("upstream");
        double requests = num(up, "ok") + num(up, "unauthorized");
        double attempts = requests == 0 ? 0 : (num(up, "ok") + num(up, "rateLimited") + num(up, "unauthorized")) / requests;
        String perAttempt = "";
        String overhead = "";
        if (base != null && attempts > 1) {
            double cost = (num(r, "p50us") - num(base, "p50us")) / (attempts - 1) / 1000;
            perAttempt = fmt(cost, 3);
            overhead = fmt(cost - num(directLimitedKey, "p50us") / 1000, 3);
        }
        Markdown.row(md, what, fmt(num(r, "rps"), 0), ms(r, "p50us"), ms(r, "p99us"),
                requests == 0 ? (num(up, "rateLimited") > 0 ? "1 (429)" : "") : fmt(attempts, 2),
                perAttempt, overhead, errors(r, good));
    }
}
