package dev.keyfailover.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

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

    /** One cell: 16 streams at a time against {@code endpoint}; the per-event delay percentiles in µs. */
    static JsonObject cell(Lab lab, Endpoint endpoint, String label) throws Exception {
        Options options = lab.options();
        return lab.load(label, endpoint.loadArgs("mode=sse", "conc=16", "warmup=" + options.warmupSeconds(),
                "duration=" + options.measureSeconds(), "events=50", "interval=10"));
    }

    @Override
    public Section results(Options options) {
        return new SseDelayResults(options.measureSeconds(), byTarget);
    }
}
