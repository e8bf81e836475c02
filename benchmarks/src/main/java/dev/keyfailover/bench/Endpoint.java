package dev.keyfailover.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;

/**
 * What the load generator talks to for one target: the upstream itself (direct) or a candidate proxy in front of it
 * (a JVM, or Portkey's Node process), which closing stops.
 *
 * @param candidate null for direct
 */
record Endpoint(Target target, int port, ProxyProcess candidate) implements AutoCloseable {

    /** The load generator's arguments that address this endpoint, followed by {@code more}. */
    List<String> loadArgs(String... more) {
        return loadArgsOnRoute(target.prefix(), target.auth(), more);
    }

    /** The same on another route of this endpoint, with another client key (routes with failing keys). */
    List<String> loadArgsOnRoute(String prefix, String auth, String... more) {
        List<String> args = new ArrayList<>(List.of("port=" + port, "auth=" + auth));
        args.addAll(candidate == null ? List.of("prefix=" + prefix) : candidate.routeArgs(prefix));
        args.addAll(List.of(more));
        return args;
    }

    /** The candidate's JVM; null for direct and for a candidate that is not a JVM. */
    CandidateJvm jvm() {
        return candidate instanceof CandidateJvm jvm ? jvm : null;
    }

    /** The candidate's memory figures ({@link ProxyProcess#memory()}); null for direct, which has no proxy. */
    JsonObject memory() throws IOException {
        return candidate == null ? null : candidate.memory();
    }

    /** Resets the candidate's memory figures; the heap left then, or null for direct. */
    JsonObject resetMemory() throws IOException {
        return candidate == null ? null : candidate.resetMemory();
    }

    @Override
    public void close() throws InterruptedException {
        if (candidate != null) {
            candidate.stop();
        }
    }
}
