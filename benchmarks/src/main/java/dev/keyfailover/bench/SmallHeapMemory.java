package dev.keyfailover.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.json.JsonObject;

/**
 * Scenario 4: a 20 MiB upload and a 200 MiB download through each candidate in a fresh JVM at
 * {@link CandidateJvm#SMALL_HEAP}; time, peak and live heap, RSS.
 */
final class SmallHeapMemory implements Scenario {

    @Override
    public int number() {
        return 4;
    }

    @Override
    public Section measure(Lab lab) throws Exception {
        Options options = lab.options();
        int uploads = options.quick() ? 3 : 8;
        int downloads = options.quick() ? 2 : 4;
        Map<Target, SmallHeapMemoryResults.Transfers> byTarget = new LinkedHashMap<>();
        for (Target target : Target.ALL) {
            try (Endpoint endpoint = lab.open(target, options.java17(), CandidateJvm.PLATFORM_POOL,
                    CandidateJvm.SMALL_HEAP, Profiler.NONE)) {
                // KeyFailoverServlet fails over twice (route /k2); the others forward the body once.
                String prefix = target == Target.KEYFAILOVER ? "/k2" : target.prefix();
                JsonObject idle = endpoint.resetMemory();
                JsonObject upload = lab.loadCountingUpstream(target.name() + " s4 upload", endpoint.loadArgsOnRoute(prefix,
                        target.auth(), "mode=mem", "what=upload", "mib=20", "n=" + uploads));
                JsonObject uploadMemory = endpoint.memory();
                endpoint.resetMemory();
                JsonObject download = lab.load(target.name() + " s4 download",
                        endpoint.loadArgs("mode=mem", "what=download", "mib=200", "n=" + downloads));
                JsonObject downloadMemory = endpoint.memory();
                boolean alive = endpoint.jvm() == null || endpoint.jvm().alive();
                byTarget.put(target, new SmallHeapMemoryResults.Transfers(upload, uploadMemory, download,
                        downloadMemory, idle, alive));
            }
        }
        return new SmallHeapMemoryResults(uploads, downloads, byTarget);
    }
}
