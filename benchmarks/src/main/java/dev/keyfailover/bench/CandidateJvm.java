package dev.keyfailover.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;

/** A candidate proxy ({@link Candidate}) running in a JVM of its own, with its memory reporter on a second port. */
final class CandidateJvm implements ProxyProcess {

    /** Same for every candidate: GC, stack, logging, the event-stream probe ({@link SseProbe}). */
    static final List<String> FLAGS = List.of("-XX:+UseG1GC", "-Xss1m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dbench.sseProbe=true");
    static final String HEAP = "-Xmx512m";
    /** Scenario 4's heap: small enough that a proxy holding a body in memory fails. */
    static final String SMALL_HEAP = "-Xmx128m";
    /** Every proxy's upstream connection pool, large enough never to be what limits a scenario. */
    static final String MAX_UPSTREAM_CONNECTIONS = "2048";
    /** Thread pools, as {@link Candidate} reads them: Jetty's default QueuedThreadPool, or a VirtualThreadPool. */
    static final String PLATFORM_POOL = "qtp";
    static final int VT_MAX_TASKS = 4096;
    static final String VIRTUAL_POOL = "vt:" + VT_MAX_TASKS;

    private final Processes processes;
    private final Process process;
    private final int port;
    private final int admin;
    private final Path log;

    private CandidateJvm(Processes processes, Process process, int port, int admin, Path log) {
        this.processes = processes;
        this.process = process;
        this.port = port;
        this.admin = admin;
        this.log = log;
    }

    /** Starts the candidate of {@code target}; {@code profiler} records its JVM into the run directory. */
    static CandidateJvm start(Processes processes, Target target, String java, String pool, String heap, Profiler profiler,
            int upstreamPort) throws Exception {
        return start(processes, target, java, pool, heap, profiler, upstreamPort, MAX_UPSTREAM_CONNECTIONS, 4096, null);
    }

    /** The same with another upstream connection pool and accept queue (scenario 7's 10,000 streams). */
    static CandidateJvm start(Processes processes, Target target, String java, String pool, String heap, Profiler profiler,
            int upstreamPort, String maxConnections, int acceptQueue, String upstreamBufferSize) throws Exception {
        int port = Processes.freePort();
        int admin = Processes.freePort();
        List<String> flags = new ArrayList<>();
        flags.add(heap);
        flags.addAll(FLAGS);
        flags.addAll(profiler.flags(processes.runDir(), target.kind()));
        Path log = processes.logFor(target.kind().replace(Candidate.BEFORE, "-before") + "-" + pool.replace(':', '-'));
        List<String> args = new ArrayList<>(List.of(target.kind(), String.valueOf(port), String.valueOf(admin),
                String.valueOf(upstreamPort), pool, maxConnections, String.valueOf(acceptQueue)));
        if (upstreamBufferSize != null) {
            args.add(upstreamBufferSize);
        }
        Path first = target.before() ? processes.beforeClasses() : null;
        Process process = processes.start(log, java, flags, first, Candidate.class, args);
        Processes.awaitHttp(admin, "/mem");
        Processes.awaitPort(port);
        return new CandidateJvm(processes, process, port, admin, log);
    }

    @Override
    public int port() {
        return port;
    }

    /** Heap, threads, CPU, allocation and RSS figures since the last reset. */
    @Override
    public JsonObject memory() throws IOException {
        return LocalHttp.getJson(admin, "/mem");
    }

    /** What its {@link SseProbe} saw since the last call (and forgets it). */
    JsonObject probe() throws IOException {
        return LocalHttp.getJson(admin, "/sse");
    }

    /** Resets the figures (after a {@code System.gc()}); answers the heap left then. */
    @Override
    public JsonObject resetMemory() throws IOException {
        return LocalHttp.getJson(admin, "/reset");
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The first WARN, ERROR or exception line of its log, shortened; "none" if there is none. */
    String firstError() throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception")
                    || line.contains("OutOfMemoryError")) {
                String trimmed = line.replaceFirst("^\\S+ \\S+ ", "");
                return trimmed.length() > 160 ? trimmed.substring(0, 160) + "…" : trimmed;
            }
        }
        return "none";
    }

    @Override
    public void stop() throws InterruptedException {
        processes.stop(process);
    }
}
