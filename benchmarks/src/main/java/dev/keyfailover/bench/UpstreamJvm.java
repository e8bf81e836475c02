package dev.keyfailover.bench;

import java.io.IOException;
import java.util.List;

import jakarta.json.JsonObject;

/** The fake upstream ({@link Upstream}) running in a JVM of its own, and its counters. */
record UpstreamJvm(int port) {

    static UpstreamJvm start(Processes processes, String java) throws Exception {
        int port = Processes.freePort();
        processes.start(processes.logFor("upstream"), java, List.of("-Xmx1g", "-XX:+UseG1GC"), Upstream.class,
                List.of(String.valueOf(port)));
        Processes.awaitHttp(port, "/__stats");
        return new UpstreamJvm(port);
    }

    void resetCounters() throws IOException {
        LocalHttp.get(port, "/__reset");
    }

    /** Arms scenario 9's provider failures ({@link Faults}, e.g. {@code failPercent=10&seed=18}). */
    void armFaults(String query) throws IOException {
        LocalHttp.get(port, "/__faults?" + query);
    }

    /** Answers by status, bytes received, open and peak concurrent streams since the last reset. */
    JsonObject counters() throws IOException {
        return LocalHttp.getJson(port, "/__stats");
    }
}
