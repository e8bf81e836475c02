package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;

/**
 * Scenario 7 (issue 13): 10,000 concurrent SSE streams through one node, each 60 events 100 ms apart, at
 * {@code -Xmx512m} on Java 25 with Jetty's {@code VirtualThreadPool}; the load generator holds every stream on a
 * virtual thread of its own (Java 25). Per-event delay against direct at the same load; the candidate's heap after
 * warm-up and at the end, peak RSS, threads and CPU. {@code --quick}: 2,000 streams of 20 events.
 */
final class ManyStreams implements Scenario {

    /** What a user raises for 10,000 streams: the pool's concurrent tasks, the accept queue, upstream connections. */
    static final int VT_MAX_TASKS = 12_000;
    static final int ACCEPT_QUEUE = 16_384;
    static final String MAX_CONNECTIONS = "12000";
    /** And lowers: each open stream holds three upstream buffers and a copy buffer of this size (default 8 KiB). */
    static final String UPSTREAM_BUFFER_SIZE = "4k";
    static final String LOADGEN_HEAP = "-Xmx3g";
    /**
     * How long the candidates stay idle after the run before the heap is read once more: KeyFailoverServlet closes
     * pooled upstream connections idle for 30 s, checked every 30 s, so after 65 s none of the run's is left.
     */
    static final int IDLE_SECONDS = 65;

    @Override
    public int number() {
        return 7;
    }

    @Override
    public Section measure(Lab lab) throws Exception {
        Options options = lab.options();
        int streams = options.streams() > 0 ? options.streams() : options.quick() ? 2_000 : 10_000;
        int events = options.quick() ? 20 : 60;
        int ramp = options.quick() ? 1_000 : 4_000;
        String[] load = {"mode=streams", "streams=" + streams, "events=" + events, "interval=100",
                "ramp=" + ramp, "stall=8000"};
        String[] warmup = {"mode=streams", "streams=" + Math.min(streams, 1_000), "events=20", "interval=100",
                "ramp=1000", "stall=8000"};
        List<ManyStreamsResults.Row> rows = new ArrayList<>();
        for (Target target : List.of(Target.DIRECT, Target.KEYFAILOVER, Target.JETTY_FLUSH)) {
            rows.add(measureIn(lab, target, load, warmup));
        }
        return new ManyStreamsResults(streams, events, ramp, rows);
    }

    private static ManyStreamsResults.Row measureIn(Lab lab, Target target, String[] load, String[] warmup)
            throws Exception {
        Options options = lab.options();
        String java25 = options.java25();
        try (Endpoint endpoint = lab.open(target, java25, "vt:" + VT_MAX_TASKS, CandidateJvm.HEAP, MAX_CONNECTIONS,
                ACCEPT_QUEUE, UPSTREAM_BUFFER_SIZE)) {
            lab.loadGenerator().run(target.name() + " s7 warm-up", endpoint.loadArgs(warmup), java25, LOADGEN_HEAP);
            JsonObject afterWarmup = endpoint.resetMemory();
            lab.upstream().resetCounters();
            CandidateJvm candidate = endpoint.jvm();
            OpenStreams.ThreadPeak threads = candidate == null ? null : OpenStreams.ThreadPeak.start(candidate);
            JsonObject result = lab.loadGenerator().run(target.name() + " s7", endpoint.loadArgs(load), java25,
                    LOADGEN_HEAP);
            long peakThreads = threads == null ? 0 : threads.stop();
            JsonObject upstream = lab.upstream().counters();
            JsonObject atEnd = null;
            JsonObject afterEnd = null;
            JsonObject afterIdle = null;
            if (candidate != null && candidate.alive()) {
                atEnd = endpoint.memory();
                afterEnd = endpoint.resetMemory();
                peakThreads = Math.max(peakThreads, (long) num(atEnd, "peakThreads"));
                Thread.sleep(IDLE_SECONDS * 1000L);
                afterIdle = endpoint.resetMemory();
            }
            return new ManyStreamsResults.Row(target.name(), result, upstream, afterWarmup, atEnd, afterEnd, afterIdle,
                    peakThreads, candidate != null && !candidate.alive(),
                    candidate == null ? "" : candidate.firstError());
        }
    }
}
