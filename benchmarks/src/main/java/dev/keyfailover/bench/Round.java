package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

/**
 * One round of scenario 11: every cell measured once, and the figures the report compares within it (a candidate's
 * CPU against Jetty's ProxyServlet's, its SSE delay against direct's, of this round only).
 *
 * @param number from 1
 * @param start the load average when the round started
 * @param end the load average when it ended
 * @param jsonOrder the order the targets ran in at each concurrency
 * @param sseOrder the order they ran in in the SSE cell
 * @param json per concurrency and target, scenario 1's result with the proxy's cost ({@link ProxyCost})
 * @param sse per target, scenario 2's result (per-event delay percentiles in µs)
 * @param together per target, the side-by-side SSE cell's result: every streaming target at the same time
 */
record Round(int number, Machine.LoadAverage start, Machine.LoadAverage end, List<Target> jsonOrder,
        List<Target> sseOrder, Map<Integer, Map<Target, JsonObject>> json, Map<Target, JsonObject> sse,
        Map<Target, JsonObject> together) {

    /** Issue 22's SSE target: added p99 per event at most this, and below MITRE ProxyServlet's. */
    static final double SSE_P99_TARGET_MS = 1.0;
    /** Issue 22's CPU target: CPU per request at most this times Jetty ProxyServlet's. */
    static final double CPU_TARGET_RATIO = 1.0;

    /**
     * The order of round {@code index} (from 0): {@code cycle} starting at its element {@code index mod n}, so that
     * each target runs first in one round of every n.
     */
    static <T> List<T> order(List<T> cycle, int index) {
        List<T> order = new ArrayList<>(cycle.size());
        for (int i = 0; i < cycle.size(); i++) {
            order.add(cycle.get((index + i) % cycle.size()));
        }
        return order;
    }

    JsonObject json(Target target, int c) {
        return json.getOrDefault(c, Map.of()).get(target);
    }

    double cpuUs(Target target, int c) {
        return num(json(target, c), "cpuUsPerRequest");
    }

    double allocKiB(Target target, int c) {
        return num(json(target, c), "allocKiBPerRequest");
    }

    /** The candidate's CPU per request over Jetty ProxyServlet's in this round; NaN if either is missing. */
    double cpuVsJetty(Target target, int c) {
        double jetty = cpuUs(Target.JETTY, c);
        return jetty > 0 ? cpuUs(target, c) / jetty : Double.NaN;
    }

    boolean cpuMet(Target target, int c) {
        return cpuVsJetty(target, c) <= CPU_TARGET_RATIO; // false for NaN: a missing cell meets nothing
    }

    /**
     * The delay the candidate added per event at {@code percentile} ({@code p50us}, {@code p99us}): its percentile
     * minus direct's, in ms; NaN if either has no streams.
     */
    double sseAddedMs(Target target, String percentile) {
        return added(sse, target, percentile);
    }

    /** As {@link #sseAddedMs}, in the side-by-side cell: the candidate and direct measured over the same seconds. */
    double togetherAddedMs(Target target, String percentile) {
        return added(together, target, percentile);
    }

    private static double added(Map<Target, JsonObject> cell, Target target, String percentile) {
        JsonObject r = cell.get(target);
        JsonObject direct = cell.get(Target.DIRECT);
        if (!(num(r, "streams") > 0) || !(num(direct, "streams") > 0)) {
            return Double.NaN;
        }
        return (num(r, percentile) - num(direct, percentile)) / 1000;
    }

    /** A figure of the candidate's SSE cell as it is (e.g. {@code cpuUsPerEvent}), scaled by {@code factor}; NaN if absent. */
    double sse(Target target, String figure, double factor) {
        return figure(sse, target, figure, factor);
    }

    /** The same of the side-by-side cell. */
    double together(Target target, String figure, double factor) {
        return figure(together, target, figure, factor);
    }

    private static double figure(Map<Target, JsonObject> cell, Target target, String figure, double factor) {
        JsonObject r = cell.get(target);
        return r != null && r.containsKey(figure) ? num(r, figure) * factor : Double.NaN;
    }

    boolean sseMet(Target target) {
        return met(sseAddedMs(target, "p99us"), sseAddedMs(Target.MITRE, "p99us"));
    }

    boolean togetherMet(Target target) {
        return met(togetherAddedMs(target, "p99us"), togetherAddedMs(Target.MITRE, "p99us"));
    }

    private static boolean met(double p99, double mitreP99) {
        return p99 <= SSE_P99_TARGET_MS && p99 < mitreP99;
    }
}
