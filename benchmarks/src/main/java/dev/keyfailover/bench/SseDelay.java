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
        Options options = lab.options();
        CandidateJvm jvm = endpoint.jvm();
        JsonObject before = jvm == null ? null : jvm.memory();
        if (jvm != null) {
            jvm.probe(); // what it saw before this cell is dropped
        }
        JsonObject r = lab.load(label, endpoint.loadArgs("mode=sse", "conc=16", "warmup=" + options.warmupSeconds(),
                "duration=" + options.measureSeconds(), "events=50", "interval=10"));
        if (jvm == null) {
            return r;
        }
        JsonObject probe = jvm.probe();
        JsonObject after = jvm.memory();
        JsonObjectBuilder with = Json.createObjectBuilder(r);
        probe.forEach(with::add);
        double events = num(probe, "handoffEvents");
        if (events > 0) {
            with.add("cpuUsPerEvent", (num(after, "cpuNanos") - num(before, "cpuNanos")) / 1000 / events);
        }
        return with.build();
    }

    @Override
    public Section results(Options options) {
        return new SseDelayResults(options.measureSeconds(), byTarget);
    }
}
