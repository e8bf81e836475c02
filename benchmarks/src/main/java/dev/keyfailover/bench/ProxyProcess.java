package dev.keyfailover.bench;

import java.io.IOException;

import jakarta.json.JsonObject;

/**
 * A running candidate proxy, whatever runs it: a JVM ({@link CandidateJvm}) or another process ({@link PortkeyNode}).
 * Scenarios read its figures the same way: at least {@code cpuNanos}, the process's CPU time (all threads).
 */
interface ProxyProcess {

    /** The port clients talk to. */
    int port();

    /** CPU, memory and (for a JVM) allocation figures since the last reset; a figure a process cannot give is absent. */
    JsonObject memory() throws IOException;

    /** Resets the figures it can reset; answers them afterwards. */
    JsonObject resetMemory() throws IOException;

    /** The load generator's arguments that address route {@code prefix} of this proxy: its path prefix, any header. */
    default java.util.List<String> routeArgs(String prefix) {
        return java.util.List.of("prefix=" + prefix);
    }

    void stop() throws InterruptedException;
}
