package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;

/**
 * Scenario 5: 1,000 slow SSE streams held open at once, each candidate on virtual threads (Java 25) and on Jetty's
 * default platform pool (Java 17): how many are served to the end, and what fails first.
 */
final class OpenStreams implements Scenario {

    @Override
    public int number() {
        return 5;
    }

    @Override
    public Section measure(Lab lab) throws Exception {
        Options options = lab.options();
        int holdSeconds = options.quick() ? 10 : 20;
        String[] load = {"mode=hold", "streams=1000", "events=" + holdSeconds, "interval=1000", "ramp=2000"};
        String java17 = options.java17();
        String java25 = options.java25();
        String virtual = "Java 25, VirtualThreadPool";
        String platform = "Java 17, QueuedThreadPool(200)";
        List<OpenStreamsResults.Row> rows = new ArrayList<>();
        rows.add(measureIn(lab, Target.DIRECT, "Java 17", java17, CandidateJvm.PLATFORM_POOL, load));
        for (Target target : List.of(Target.KEYFAILOVER, Target.JETTY_FLUSH, Target.MITRE)) {
            rows.add(measureIn(lab, target, virtual, java25, CandidateJvm.VIRTUAL_POOL, load));
            rows.add(measureIn(lab, target, platform, java17, CandidateJvm.PLATFORM_POOL, load));
        }
        // Stock Jetty ProxyServlet once: it holds small events back in its output buffer (scenario 2).
        rows.add(measureIn(lab, Target.JETTY, platform, java17, CandidateJvm.PLATFORM_POOL, load));
        return new OpenStreamsResults(holdSeconds, rows);
    }

    private static OpenStreamsResults.Row measureIn(Lab lab, Target target, String jvm, String java, String pool,
            String[] load) throws Exception {
        try (Endpoint endpoint = lab.open(target, java, pool, CandidateJvm.HEAP, Profiler.NONE)) {
            lab.upstream().resetCounters();
            endpoint.resetMemory();
            CandidateJvm candidate = endpoint.jvm();
            ThreadPeak threads = candidate == null ? null : ThreadPeak.start(candidate);
            JsonObject result = lab.load(target.name() + " s5 " + jvm, endpoint.loadArgs(load));
            long peakThreads = threads == null ? 0 : threads.stop();
            JsonObject upstream = lab.upstream().counters();
            JsonObject memory = null;
            try {
                memory = endpoint.memory();
            } catch (IOException e) {
                // the JVM died; the row says so
            }
            return new OpenStreamsResults.Row(target.name(), jvm, result, upstream, memory,
                    peakThreads, candidate != null && !candidate.alive(),
                    candidate == null ? "" : candidate.firstError());
        }
    }

    /**
     * The candidate's peak thread count, sampled every second while the streams are open: a candidate that the
     * streams kill cannot report it at the end.
     */
    static final class ThreadPeak {
        private final Thread sampler;
        private volatile long peak;

        private ThreadPeak(CandidateJvm candidate) {
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        peak = Math.max(peak, (long) num(candidate.memory(), "peakThreads"));
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // the candidate may be dying: that is what this scenario looks for
                    }
                }
            });
            sampler.setDaemon(true);
        }

        static ThreadPeak start(CandidateJvm candidate) {
            ThreadPeak threads = new ThreadPeak(candidate);
            threads.sampler.start();
            return threads;
        }

        long stop() {
            sampler.interrupt();
            return peak;
        }
    }
}
