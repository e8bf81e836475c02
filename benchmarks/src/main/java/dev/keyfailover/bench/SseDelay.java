package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** Scenario 2: SSE streams of 50 events 10 ms apart; each event's delay from the upstream's send time to the client. */
final class SseDelay implements WarmScenario {

    private final Map<Target, JsonObject> byTarget = new LinkedHashMap<>();

    @Override
    public int number() {
        return 2;
    }

    @Override
    public List<Target> targets() {
        return Target.STREAMING;
    }

    @Override
    public void measure(Endpoint endpoint, Lab lab) throws Exception {
        byTarget.put(endpoint.target(), cell(lab, endpoint, endpoint.target().name() + " s2"));
    }

    /**
     * One cell: 16 streams at a time against {@code endpoint}; the per-event delay percentiles in µs and, for a
     * candidate JVM, what its {@link SseProbe} saw (the delay until each event reached the proxy's servlet output) and
     * its CPU per event (both over the whole cell, warm-up included).
     */
    static JsonObject cell(Lab lab, Endpoint endpoint, String label) throws Exception {
        Probed probed = Probed.start(endpoint);
        return probed.finish(lab.load(label, endpoint.loadArgs(loadArgs(lab.options(), STREAMS))));
    }

    /**
     * Scenario 11's side-by-side cell: {@code streams} streams through each endpoint, all at the same time (one load
     * generator each), so that a moment when the machine is busy falls on every candidate and on direct alike.
     */
    static Map<Target, JsonObject> together(Lab lab, List<Endpoint> endpoints, int streams, String label)
            throws Exception {
        Map<String, List<String>> runs = new LinkedHashMap<>();
        Map<Target, Probed> probes = new LinkedHashMap<>();
        for (Endpoint endpoint : endpoints) {
            probes.put(endpoint.target(), Probed.start(endpoint));
            runs.put(endpoint.target().name() + " " + label, endpoint.loadArgs(loadArgs(lab.options(), streams)));
        }
        Map<String, JsonObject> results = lab.loadGenerator().runTogether(runs);
        Map<Target, JsonObject> byTarget = new LinkedHashMap<>();
        for (Endpoint endpoint : endpoints) {
            Target target = endpoint.target();
            byTarget.put(target, probes.get(target).finish(results.get(target.name() + " " + label)));
        }
        return byTarget;
    }

    private static final int STREAMS = 16;

    private static String[] loadArgs(Options options, int streams) {
        return new String[] {"mode=sse", "conc=" + streams, "warmup=" + options.warmupSeconds(),
            "duration=" + options.measureSeconds(), "events=50", "interval=10"};
    }

    /** A candidate JVM's CPU and probe read before a cell, to add what it saw during the cell to the load's result. */
    private record Probed(CandidateJvm jvm, JsonObject before) {

        static Probed start(Endpoint endpoint) throws Exception {
            CandidateJvm jvm = endpoint.jvm();
            if (jvm == null) {
                return new Probed(null, null);
            }
            JsonObject before = jvm.memory();
            jvm.probe(); // what it saw before this cell is dropped
            return new Probed(jvm, before);
        }

        JsonObject finish(JsonObject result) throws Exception {
            if (jvm == null) {
                return result;
            }
            JsonObject probe = jvm.probe();
            JsonObject after = jvm.memory();
            JsonObjectBuilder with = Json.createObjectBuilder(result);
            probe.forEach(with::add);
            double events = num(probe, "handoffEvents");
            if (events > 0) {
                with.add("cpuUsPerEvent", (num(after, "cpuNanos") - num(before, "cpuNanos")) / 1000 / events);
            }
            return with.build();
        }
    }

    @Override
    public Section results(Options options) {
        return new SseDelayResults(options.measureSeconds(), byTarget);
    }
}
