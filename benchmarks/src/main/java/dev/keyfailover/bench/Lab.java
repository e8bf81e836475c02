package dev.keyfailover.bench;

import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** What a scenario measures with: the run's options, the running upstream, new candidate JVMs and load-generator runs. */
record Lab(Options options, Processes processes, UpstreamJvm upstream, LoadGenerator loadGenerator) {

    /** Starts the candidate of {@code target}; direct starts nothing, its endpoint is the upstream. */
    Endpoint open(Target target, String java, String pool, String heap, Profiler profiler) throws Exception {
        if (target.direct()) {
            return new Endpoint(target, upstream.port(), null);
        }
        if (target == Target.PORTKEY) {
            PortkeyNode portkey = PortkeyNode.start(processes, upstream.port());
            return new Endpoint(target, portkey.port(), portkey);
        }
        CandidateJvm candidate = CandidateJvm.start(processes, target, java, pool, heap, profiler, upstream.port());
        return new Endpoint(target, candidate.port(), candidate);
    }

    /**
     * Starts the candidate of {@code target} with its own upstream connection pool and accept queue, and
     * KeyFailoverServlet's {@code upstreamBufferSize}.
     */
    Endpoint open(Target target, String java, String pool, String heap, String maxConnections, int acceptQueue,
                  String upstreamBufferSize) throws Exception {
        if (target.direct()) {
            return new Endpoint(target, upstream.port(), null);
        }
        CandidateJvm candidate = CandidateJvm.start(processes, target, java, pool, heap, Profiler.NONE, upstream.port(),
                maxConnections, acceptQueue, upstreamBufferSize);
        return new Endpoint(target, candidate.port(), candidate);
    }

    /** Why {@code target} cannot run on this machine, or null if it can (only Portkey needs more than Java). */
    static String unavailable(Target target) {
        return target == Target.PORTKEY ? PortkeyNode.unavailable() : null;
    }

    JsonObject load(String label, List<String> args) throws Exception {
        return loadGenerator.run(label, args);
    }

    /** A load-generator run with the upstream's counters reset before and attached after (as "upstream"). */
    JsonObject loadCountingUpstream(String label, List<String> args) throws Exception {
        upstream.resetCounters();
        JsonObject result = load(label, args);
        return Json.createObjectBuilder(result).add("upstream", upstream.counters()).build();
    }
}
