package dev.keyfailover.bench;

import java.io.IOException;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The orchestrator behind {@code benchmarks/run.sh}: starts the fake upstream, each candidate and
 * the load generator in JVMs of their own on 127.0.0.1, runs the five scenarios and writes the
 * tables (benchmarks/README.md explains them).
 *
 * <p>Options: {@code --quick} (short durations, a smoke run), {@code --scenarios=1,2,3,4,5},
 * {@code --out=FILE} (the Markdown report), {@code --java17=PATH}, {@code --java25=PATH} (java
 * executables), {@code --jfr} (record the KeyFailoverServlet JVM with JFR into the run directory).
 */
public final class Bench {

    /** One way to reach the upstream. */
    record Target(String name, String kind, String prefix, String auth) {
        boolean direct() {
            return kind == null;
        }
    }

    static final Target DIRECT = new Target("direct", null, "", Candidate.GOOD_KEY);
    static final Target KEYFAILOVER = new Target("KeyFailoverServlet", "keyfailover", "/k0", "none");
    static final Target JETTY = new Target("Jetty ProxyServlet", "jetty", "/k0", Candidate.GOOD_KEY);
    static final Target MITRE = new Target("MITRE ProxyServlet", "mitre", "/k0", Candidate.GOOD_KEY);
    /** Jetty's ProxyServlet with a flush after each chunk (its maintainers' advice for SSE); streaming scenarios only. */
    static final Target JETTY_FLUSH = new Target("Jetty ProxyServlet + flush", "jetty-flush", "/k0", Candidate.GOOD_KEY);
    static final List<Target> STREAMING = List.of(DIRECT, KEYFAILOVER, JETTY, JETTY_FLUSH, MITRE);
    static final List<Target> ALL = List.of(DIRECT, KEYFAILOVER, JETTY, MITRE);
    static final List<Target> PROXIES = List.of(KEYFAILOVER, JETTY, MITRE);

    /** Same for every candidate: heap, GC, logging; upstream connection pools of this size. */
    static final List<String> CANDIDATE_FLAGS = List.of("-XX:+UseG1GC", "-Xss1m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showDateTime=true");
    static final String HEAP = "-Xmx512m";
    static final String SMALL_HEAP = "-Xmx128m";
    static final String MAX_UPSTREAM_CONNECTIONS = "2048";
    static final int VT_MAX_TASKS = 4096;

    private final Path runDir;
    private final Path logs;
    private final String classpath = System.getProperty("java.class.path");
    private String java17 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private String java25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    private boolean quick;
    private boolean jfr;
    private Path out;
    private Set<Integer> scenarios = new TreeSet<>(List.of(1, 2, 3, 4, 5));
    private final List<Process> processes = new ArrayList<>();
    private int upstreamPort;
    private final StringBuilder report = new StringBuilder();
    private final Map<String, JsonObject> raw = new LinkedHashMap<>();
    private int logSeq;

    private Bench(Path runDir) throws IOException {
        this.runDir = runDir;
        this.logs = runDir.resolve("logs");
        Files.createDirectories(logs);
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(Path.of("benchmarks/target/bench-run"));
        bench.out = Path.of("benchmarks/RESULTS.md");
        for (String arg : args) {
            if (arg.equals("--quick")) {
                bench.quick = true;
            } else if (arg.equals("--jfr")) {
                bench.jfr = true;
            } else if (arg.startsWith("--scenarios=")) {
                bench.scenarios = new TreeSet<>();
                for (String s : arg.substring(12).split(",")) {
                    bench.scenarios.add(Integer.parseInt(s.trim()));
                }
            } else if (arg.startsWith("--out=")) {
                bench.out = Path.of(arg.substring(6));
            } else if (arg.startsWith("--java17=")) {
                bench.java17 = arg.substring(9);
            } else if (arg.startsWith("--java25=")) {
                bench.java25 = arg.substring(9);
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll));
        long t0 = System.nanoTime();
        try {
            bench.run();
        } finally {
            bench.stopAll();
        }
        System.out.printf(Locale.ROOT, "benchmark finished in %.0f s; report: %s%n", (System.nanoTime() - t0) / 1e9,
                bench.out);
    }

    // ---------------------------------------------------------------- durations

    private int warmup() {
        return quick ? 1 : 2;
    }

    private int duration() {
        return quick ? 2 : 6;
    }

    /** Seconds of load on a fresh JVM before anything is measured (JIT, pools, buffers). */
    private int jvmWarmup() {
        return quick ? 5 : 10;
    }

    private int holdSeconds() {
        return quick ? 10 : 20;
    }

    // ---------------------------------------------------------------- the run

    private void run() throws Exception {
        machineFacts();
        upstreamPort = freePort();
        start("upstream", java17, List.of("-Xmx1g", "-XX:+UseG1GC"), Upstream.class, List.of(String.valueOf(upstreamPort)));
        awaitHttp(upstreamPort, "/__stats");

        Map<Target, Map<String, JsonObject>> s123 = new LinkedHashMap<>();
        if (scenarios.contains(1) || scenarios.contains(2) || scenarios.contains(3)) {
            for (Target target : STREAMING) {
                if (target == JETTY_FLUSH && !scenarios.contains(2)) {
                    continue;
                }
                Map<String, JsonObject> results = new LinkedHashMap<>();
                s123.put(target, results);
                Running candidate = target.direct() ? null : startCandidate(target, java17, "qtp", HEAP, jfr);
                try {
                    int port = candidate == null ? upstreamPort : candidate.port;
                    warmUp(target, port);
                    if (scenarios.contains(1) && target != JETTY_FLUSH) {
                        for (int c : List.of(1, 16, 64)) {
                            JsonObject m0 = candidate == null ? null : json(httpGet(candidate.admin, "/mem"));
                            JsonObject r = loadgen(target.name() + " s1 c=" + c, List.of("mode=rps",
                                    "port=" + port, "prefix=" + target.prefix(), "auth=" + target.auth(),
                                    "conc=" + c, "warmup=" + warmup(), "duration=" + duration()));
                            JsonObject m1 = candidate == null ? null : json(httpGet(candidate.admin, "/mem"));
                            // Requests over the whole run (warm-up included), to divide the CPU the proxy JVM used.
                            double requests = num(r, "rps") * (warmup() + duration());
                            if (candidate != null && requests > 0) {
                                r = Json.createObjectBuilder(r)
                                        .add("cpuUsPerRequest", (num(m1, "cpuNanos") - num(m0, "cpuNanos")) / 1000 / requests)
                                        .add("allocKiBPerRequest",
                                                (num(m1, "allocatedBytes") - num(m0, "allocatedBytes")) / 1024 / requests)
                                        .build();
                            }
                            results.put("s1-c" + c, r);
                        }
                    }
                    if (scenarios.contains(2)) {
                        results.put("s2", loadgen(target.name() + " s2", List.of("mode=sse", "port=" + port,
                                "prefix=" + target.prefix(), "auth=" + target.auth(), "conc=16",
                                "warmup=" + warmup(), "duration=" + duration(),
                                "events=50", "interval=10")));
                    }
                    if (scenarios.contains(3) && target != JETTY_FLUSH) {
                        scenario3Runs(target, port, results);
                    }
                } finally {
                    stop(candidate);
                }
            }
        }
        if (scenarios.contains(1)) {
            writeScenario1(s123);
        }
        if (scenarios.contains(2)) {
            writeScenario2(s123);
        }
        if (scenarios.contains(3)) {
            writeScenario3(s123);
        }
        if (scenarios.contains(4)) {
            scenario4();
        }
        if (scenarios.contains(5)) {
            scenario5();
        }
        report.append("Load average at the end: ").append(loadAverage()).append(".\n");
        report.append("\n_Raw results (JSON per run) and every process's log: `benchmarks/target/bench-run/`._\n");
        Files.writeString(runDir.resolve("raw.json"), raw.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + e.getValue()).collect(Collectors.joining(",\n", "{\n", "\n}\n")));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report.toString());
        System.out.println(report);
    }

    private void machineFacts() throws Exception {
        String now = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        report.append("# keyfailover benchmark results\n\n");
        if (quick) {
            report.append("> **Quick smoke run** (`benchmarks/run.sh --quick`): durations of ").append(warmup())
                    .append(" s warm-up and ").append(duration()).append(" s measurement per cell, on a machine ")
                    .append("shared with other builds. It proves the harness works end to end; its numbers are ")
                    .append("noisy and are not the product's performance. Run `benchmarks/run.sh` on a quiet machine ")
                    .append("for numbers.\n\n");
        }
        report.append("## Machine\n\n| fact | value |\n|---|---|\n");
        report.append("| date | ").append(now).append(" |\n");
        report.append("| cores | ").append(Runtime.getRuntime().availableProcessors()).append(" (").append(cpuModel())
                .append(") |\n");
        report.append("| memory | ").append(procLine("/proc/meminfo", "MemTotal")).append(" |\n");
        report.append("| load average at start | ").append(loadAverage()).append(" |\n");
        report.append("| JDK (upstream, load generator, candidates) | ").append(javaVersion(java17)).append(" |\n");
        if (scenarios.contains(5)) {
            report.append("| JDK (scenario 5, virtual threads) | ").append(javaVersion(java25)).append(" |\n");
        }
        report.append("| candidate JVM flags | `").append(HEAP).append(' ').append(String.join(" ", CANDIDATE_FLAGS))
                .append("` (scenario 4: `").append(SMALL_HEAP).append("` instead) |\n");
        report.append("| candidate thread pool | Jetty 12.1.14 `QueuedThreadPool` defaults (8..200 platform threads); ")
                .append("scenario 5 also `VirtualThreadPool` (max ").append(VT_MAX_TASKS).append(" tasks) on Java 25 |\n");
        report.append("| upstream connection pool of every proxy | ").append(MAX_UPSTREAM_CONNECTIONS)
                .append(" (KeyFailoverServlet `maxConnections`, Jetty `maxConnections`, MITRE `http.maxConnections`) |\n");
        report.append("| load generator | separate JVM (`LoadGen`), closed loop, one blocking keep-alive HTTP/1.1 ")
                .append("connection per thread, HdrHistogram 2.2.2 |\n");
        report.append("| everything on | 127.0.0.1, one machine: upstream, candidate and load generator share the cores |\n\n");
    }

    /** The same warm-up for every target, measured nowhere: JSON POSTs at c=16, then SSE streams. */
    private void warmUp(Target target, int port) throws Exception {
        loadgen(target.name() + " warm-up json", List.of("mode=rps", "port=" + port, "prefix=" + target.prefix(),
                "auth=" + target.auth(), "conc=16", "warmup=0", "duration=" + jvmWarmup()));
        loadgen(target.name() + " warm-up sse", List.of("mode=sse", "port=" + port, "prefix=" + target.prefix(),
                "auth=" + target.auth(), "conc=16", "warmup=0", "duration=" + Math.max(2, jvmWarmup() / 3)));
    }

    // ---------------------------------------------------------------- scenario 1

    private void writeScenario1(Map<Target, Map<String, JsonObject>> all) {
        report.append("## Scenario 1: 1 KiB JSON POST, 1 KiB answer\n\n");
        report.append("Closed loop, `c` client connections, ").append(duration()).append(" s measured after ")
                .append(warmup()).append(" s warm-up. Latency of each request as the client sees it. Proxy CPU = ")
                .append("CPU time of the candidate JVM (all threads, GC and JIT included) over the cell, divided by ")
                .append("its requests: on 2 shared cores, throughput at c = 16 and 64 is bounded by the CPU each ")
                .append("request costs the proxy, the upstream and the client together. Proxy alloc = heap bytes ")
                .append("allocated by the candidate's threads per request (noise-free, unlike time).\n\n");
        for (int c : List.of(1, 16, 64)) {
            String key = "s1-c" + c;
            JsonObject direct = get(all, DIRECT, key);
            JsonObject jetty = get(all, JETTY, key);
            report.append("### c = ").append(c).append("\n\n");
            report.append("| candidate | req/s | p50 ms | p99 ms | req/s vs direct | req/s vs Jetty | p50 vs direct | "
                    + "p50 vs Jetty | added p50 ms | proxy CPU µs/req | proxy alloc KiB/req | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Target target : ALL) {
                JsonObject r = get(all, target, key);
                if (r == null) {
                    report.append("| ").append(target.name()).append(" | (no result) |||||||||\n");
                    continue;
                }
                report.append("| ").append(target.name()).append(" | ").append(fmt(num(r, "rps"), 0))
                        .append(" | ").append(ms(r, "p50us")).append(" | ").append(ms(r, "p99us"))
                        .append(" | ").append(ratio(num(r, "rps"), num(direct, "rps")))
                        .append(" | ").append(ratio(num(r, "rps"), num(jetty, "rps")))
                        .append(" | ").append(ratio(num(r, "p50us"), num(direct, "p50us")))
                        .append(" | ").append(ratio(num(r, "p50us"), num(jetty, "p50us")))
                        .append(" | ").append(target.direct() ? "" : fmt((num(r, "p50us") - num(direct, "p50us")) / 1000, 3))
                        .append(" | ").append(fmt(num(r, "cpuUsPerRequest"), 0))
                        .append(" | ").append(fmt(num(r, "allocKiBPerRequest"), 1))
                        .append(" | ").append(errors(r, "status-200")).append(" |\n");
            }
            report.append('\n');
        }
    }

    // ---------------------------------------------------------------- scenario 2

    private void writeScenario2(Map<Target, Map<String, JsonObject>> all) {
        report.append("## Scenario 2: SSE, 50 events 10 ms apart\n\n");
        report.append("16 streams at a time, opened back to back for ").append(duration())
                .append(" s. Each event carries the upstream's send time (epoch µs); its delay is arrival at the ")
                .append("client minus that. Added delay = candidate's percentile minus direct's. Stock Jetty ")
                .append("ProxyServlet aggregates writes in its 32 KiB output buffer, so small events wait for the end ")
                .append("of the stream; \"+ flush\" is the same servlet flushing after each chunk, as Jetty's ")
                .append("maintainers advise for SSE (jetty/jetty.project#3459).\n\n");
        report.append("| candidate | streams | events | delay p50 ms | p99 ms | max ms | added p50 ms | added p99 ms | "
                + "p99 vs direct | p99 vs Jetty | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        JsonObject direct = get(all, DIRECT, "s2");
        JsonObject jetty = get(all, JETTY, "s2");
        for (Target target : STREAMING) {
            JsonObject r = get(all, target, "s2");
            if (r == null) {
                report.append("| ").append(target.name()).append(" | (no result) ||||||||||\n");
                continue;
            }
            report.append("| ").append(target.name()).append(" | ").append(fmt(num(r, "streams"), 0))
                    .append(" | ").append(fmt(num(r, "count"), 0))
                    .append(" | ").append(ms(r, "p50us")).append(" | ").append(ms(r, "p99us"))
                    .append(" | ").append(ms(r, "maxus"))
                    .append(" | ").append(target.direct() ? "" : fmt((num(r, "p50us") - num(direct, "p50us")) / 1000, 3))
                    .append(" | ").append(target.direct() ? "" : fmt((num(r, "p99us") - num(direct, "p99us")) / 1000, 3))
                    .append(" | ").append(ratio(num(r, "p99us"), num(direct, "p99us")))
                    .append(" | ").append(ratio(num(r, "p99us"), num(jetty, "p99us")))
                    .append(" | ").append(errors(r, "ok")).append(" |\n");
        }
        report.append('\n');
    }

    // ---------------------------------------------------------------- scenario 3

    private void scenario3Runs(Target target, int port, Map<String, JsonObject> results) throws Exception {
        List<String> common = List.of("mode=rps", "port=" + port, "conc=1", "think=3", "warmup=" + warmup(),
                "duration=" + (quick ? 2 : 5));
        if (target.direct()) {
            results.put("s3-ok", withUpstream(target.name() + " s3 200", common, List.of("prefix=", "auth=" + target.auth())));
            results.put("s3-429", withUpstream(target.name() + " s3 429", common,
                    List.of("prefix=", "auth=" + Candidate.LIMITED_KEY_1, "expect=429")));
        } else if (target == KEYFAILOVER) {
            for (int failing = 0; failing <= 2; failing++) {
                results.put("s3-k" + failing, withUpstream(target.name() + " s3 k" + failing, common,
                        List.of("prefix=/k" + failing, "auth=none")));
            }
        } else {
            results.put("s3-k0", withUpstream(target.name() + " s3 k0", common,
                    List.of("prefix=/k0", "auth=" + target.auth())));
        }
    }

    /** A load-generator run with the upstream's counters reset before and attached after. */
    private JsonObject withUpstream(String label, List<String> a, List<String> b) throws Exception {
        httpGet(upstreamPort, "/__reset");
        List<String> args = new ArrayList<>(a);
        args.addAll(b);
        JsonObject result = loadgen(label, args);
        JsonObject upstream = json(httpGet(upstreamPort, "/__stats"));
        return Json.createObjectBuilder(result).add("upstream", upstream).build();
    }

    private void writeScenario3(Map<Target, Map<String, JsonObject>> all) {
        report.append("## Scenario 3: failover cost\n\n");
        report.append("One client (c = 1) sending the 1 KiB POST, 3 ms apart (the fake upstream's 429 says "
                + "`retry-after-ms: 1`, so the proxy's cooldown has passed and every request meets a fresh 429). "
                + "KeyFailoverServlet routes whose pool starts with 0, 1 or 2 rate-limited keys. "
                + "Upstream attempts per request are counted by the upstream. One upstream round trip of a 429 is "
                + "measured directly. Cost per failed attempt = (p50 with k failing keys - p50 with none) / failed "
                + "attempts per request; overhead = that minus the direct 429 round trip (target: at most 0.3 ms).\n\n");
        report.append("| what | req/s | p50 ms | p99 ms | upstream attempts / request | added p50 per failed attempt ms "
                + "| overhead beyond one 429 round trip ms | errors |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
        JsonObject direct429 = get(all, DIRECT, "s3-429");
        JsonObject kf0 = get(all, KEYFAILOVER, "s3-k0");
        row3("direct, good key", get(all, DIRECT, "s3-ok"), null, null, "status-200");
        row3("direct, rate-limited key (one 429 round trip)", direct429, null, null, "status-429");
        row3("Jetty ProxyServlet, good key", get(all, JETTY, "s3-k0"), null, null, "status-200");
        row3("MITRE ProxyServlet, good key", get(all, MITRE, "s3-k0"), null, null, "status-200");
        for (int k = 0; k <= 2; k++) {
            row3("KeyFailoverServlet, " + k + " failing key(s)", get(all, KEYFAILOVER, "s3-k" + k),
                    k == 0 ? null : kf0, direct429, "status-200");
        }
        report.append('\n');
    }

    private void row3(String what, JsonObject r, JsonObject base, JsonObject roundTrip, String good) {
        if (r == null) {
            report.append("| ").append(what).append(" | (no result) |||||||\n");
            return;
        }
        JsonObject up = r.getJsonObject("upstream");
        double requests = num(up, "ok") + num(up, "unauthorized");
        double attempts = requests == 0 ? 0 : (num(up, "ok") + num(up, "rateLimited") + num(up, "unauthorized")) / requests;
        String perAttempt = "";
        String overhead = "";
        if (base != null && attempts > 1) {
            double cost = (num(r, "p50us") - num(base, "p50us")) / (attempts - 1) / 1000;
            perAttempt = fmt(cost, 3);
            overhead = fmt(cost - num(roundTrip, "p50us") / 1000, 3);
        }
        report.append("| ").append(what).append(" | ").append(fmt(num(r, "rps"), 0)).append(" | ").append(ms(r, "p50us"))
                .append(" | ").append(ms(r, "p99us")).append(" | ")
                .append(requests == 0 ? (num(up, "rateLimited") > 0 ? "1 (429)" : "") : fmt(attempts, 2))
                .append(" | ").append(perAttempt).append(" | ").append(overhead).append(" | ").append(errors(r, good))
                .append(" |\n");
    }

    // ---------------------------------------------------------------- scenario 4

    private void scenario4() throws Exception {
        int uploads = quick ? 3 : 8;
        int downloads = quick ? 2 : 4;
        Map<Target, JsonObject[]> results = new LinkedHashMap<>();
        for (Target target : ALL) {
            Running candidate = target.direct() ? null : startCandidate(target, java17, "qtp", SMALL_HEAP, false);
            try {
                int port = candidate == null ? upstreamPort : candidate.port;
                // KeyFailoverServlet fails over twice (route /k2); the others forward the body once.
                String prefix = target == KEYFAILOVER ? "/k2" : target.prefix();
                JsonObject before = candidate == null ? null : json(httpGet(candidate.admin, "/reset"));
                JsonObject up = withUpstream(target.name() + " s4 upload", List.of("mode=mem", "what=upload",
                        "mib=20", "n=" + uploads, "port=" + port, "prefix=" + prefix, "auth=" + target.auth()), List.of());
                JsonObject upMem = candidate == null ? null : json(httpGet(candidate.admin, "/mem"));
                if (candidate != null) {
                    httpGet(candidate.admin, "/reset");
                }
                JsonObject down = loadgen(target.name() + " s4 download", List.of("mode=mem", "what=download",
                        "mib=200", "n=" + downloads, "port=" + port, "prefix=" + target.prefix(), "auth=" + target.auth()));
                JsonObject downMem = candidate == null ? null : json(httpGet(candidate.admin, "/mem"));
                boolean alive = candidate == null || candidate.process.isAlive();
                results.put(target, new JsonObject[] {up, upMem, down, downMem, before,
                        Json.createObjectBuilder().add("alive", alive).build()});
            } finally {
                stop(candidate);
            }
        }
        report.append("## Scenario 4: memory, proxy JVM at `").append(SMALL_HEAP).append("`\n\n");
        report.append("A 20 MiB JSON POST, ").append(uploads).append(" times in a row (KeyFailoverServlet: route whose "
                + "first two keys answer 429, so the body is sent upstream three times; the others forward it once), "
                + "then a 200 MiB streamed (chunked) answer, ").append(downloads).append(" times. Each candidate in a "
                + "fresh JVM; counters reset (after a `System.gc()`) before each part. Peak heap = highest heap use "
                + "sampled every 10 ms or recorded by the pools (garbage included); live after GC = the largest heap "
                + "left after a collection; RSS peak = `VmHWM` of `/proc/<pid>/status` (reset through "
                + "`clear_refs`).\n\n");
        report.append("| candidate | part | ok | time p50 s | vs direct | vs Jetty | MiB/s | peak heap MiB | "
                + "live after GC MiB | RSS peak MiB | idle heap MiB | errors |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        JsonObject[] direct = results.get(DIRECT);
        JsonObject[] jetty = results.get(JETTY);
        for (Map.Entry<Target, JsonObject[]> e : results.entrySet()) {
            JsonObject[] r = e.getValue();
            for (int part = 0; part < 2; part++) {
                JsonObject run = r[part * 2];
                JsonObject mem = r[part * 2 + 1];
                double bytes = num(run, "transferredBytes");
                double seconds = num(run, "count") == 0 ? 0 : num(run, "meanus") * num(run, "count") / 1e6;
                report.append("| ").append(e.getKey().name()).append(" | ")
                        .append(part == 0 ? "20 MiB upload" + (e.getKey() == KEYFAILOVER ? " ×3 attempts" : "")
                                : "200 MiB download")
                        .append(" | ").append(fmt(num(run, "count"), 0))
                        .append(" | ").append(fmt(num(run, "p50us") / 1e6, 3))
                        .append(" | ").append(ratio(num(run, "p50us"), num(direct[part * 2], "p50us")))
                        .append(" | ").append(jetty == null ? "" : ratio(num(run, "p50us"), num(jetty[part * 2], "p50us")))
                        .append(" | ").append(seconds == 0 ? "" : fmt(bytes / 1048576 / seconds, 0))
                        .append(" | ").append(mem == null ? "" : mib(num(mem, "peakHeapUsed")))
                        .append(" | ").append(mem == null ? "" : mib(num(mem, "peakHeapAfterGc")))
                        .append(" | ").append(mem == null ? "" : fmt(num(mem, "vmHwmKb") / 1024, 0))
                        .append(" | ").append(r[4] == null ? "" : mib(num(r[4], "heapUsed")))
                        .append(" | ").append(errors(run, "ok"))
                        .append(r[5].getBoolean("alive") ? "" : " JVM died").append(" |\n");
            }
        }
        report.append('\n');
    }

    // ---------------------------------------------------------------- scenario 5

    private void scenario5() throws Exception {
        int hold = holdSeconds();
        List<String> args = List.of("mode=hold", "streams=1000", "events=" + hold, "interval=1000", "ramp=2000");
        report.append("## Scenario 5: 1,000 concurrent slow SSE streams\n\n");
        report.append("1,000 streams opened within 2 s, each one event per second for ").append(hold)
                .append(" s, then `[DONE]`. A stream is ok when all its events and `[DONE]` arrive; it stalls when "
                        + "nothing arrives for 8 s. Max concurrent = streams that had received their first event "
                        + "and not yet ended, at the peak. Threads and heap sampled every second in the candidate JVM; "
                        + "upstream max open = concurrent streams the upstream saw. First error = first WARN/ERROR "
                        + "line of the candidate's log.\n\n");
        report.append("| candidate | JVM, pool | ok | max concurrent | first event p50 / p99 ms | outcomes | "
                + "upstream max open | candidate peak threads | peak heap MiB | RSS peak MiB | first error in log |\n"
                + "|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|\n");
        row5(DIRECT, "Java 17", null, args);
        for (Target target : List.of(KEYFAILOVER, JETTY_FLUSH, MITRE)) {
            row5(target, "Java 25, VirtualThreadPool", new String[] {java25, "vt:" + VT_MAX_TASKS}, args);
            row5(target, "Java 17, QueuedThreadPool(200)", new String[] {java17, "qtp"}, args);
        }
        // Stock Jetty ProxyServlet once: it holds small events back in its output buffer (scenario 2).
        row5(JETTY, "Java 17, QueuedThreadPool(200)", new String[] {java17, "qtp"}, args);
        report.append('\n');
    }

    private void row5(Target target, String label, String[] jvm, List<String> base) throws Exception {
        Running candidate = jvm == null ? null : startCandidate(target, jvm[0], jvm[1], HEAP, false);
        try {
            httpGet(upstreamPort, "/__reset");
            int port = candidate == null ? upstreamPort : candidate.port;
            List<String> args = new ArrayList<>(base);
            args.addAll(List.of("port=" + port, "prefix=" + target.prefix(), "auth=" + target.auth()));
            if (candidate != null) {
                httpGet(candidate.admin, "/reset");
            }
            long[] peakThreads = {0};
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted() && candidate != null) {
                    try {
                        JsonObject mem = json(httpGet(candidate.admin, "/mem"));
                        peakThreads[0] = Math.max(peakThreads[0], (long) num(mem, "peakThreads"));
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // the candidate may be dying: that is what this scenario looks for
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            JsonObject r = loadgen(target.name() + " s5 " + label, args);
            sampler.interrupt();
            JsonObject upstream = json(httpGet(upstreamPort, "/__stats"));
            JsonObject mem = null;
            try {
                mem = candidate == null ? null : json(httpGet(candidate.admin, "/mem"));
            } catch (IOException e) {
                // dead
            }
            JsonObject outcomes = r.getJsonObject("outcomes");
            String firstError = candidate == null ? "" : firstError(candidate.log);
            JsonObject first = r.getJsonObject("firstEvent");
            report.append("| ").append(target.name()).append(" | ").append(label)
                    .append(" | ").append(outcomes.containsKey("ok") ? outcomes.getJsonNumber("ok").longValue() : 0)
                    .append(" | ").append(r.getInt("maxConcurrentStreams"))
                    .append(" | ").append(ms(first, "p50us")).append(" / ").append(ms(first, "p99us"))
                    .append(" | ").append(outcomes.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                            .collect(Collectors.joining("; ")))
                    .append(" | ").append(fmt(num(upstream, "streamsMaxOpen"), 0))
                    .append(" | ").append(mem == null ? "" : fmt(Math.max(peakThreads[0], num(mem, "peakThreads")), 0))
                    .append(" | ").append(mem == null ? "" : mib(num(mem, "peakHeapUsed")))
                    .append(" | ").append(mem == null ? "" : fmt(num(mem, "vmHwmKb") / 1024, 0))
                    .append(" | ").append(candidate != null && !candidate.process.isAlive() ? "JVM died; " : "")
                    .append(firstError.replace("|", "\\|")).append(" |\n");
        } finally {
            stop(candidate);
        }
    }

    private static String firstError(Path log) throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception")
                    || line.contains("OutOfMemoryError")) {
                String trimmed = line.replaceFirst("^\\S+ \\S+ ", "");
                return trimmed.length() > 160 ? trimmed.substring(0, 160) + "…" : trimmed;
            }
        }
        return "none";
    }

    // ---------------------------------------------------------------- processes

    record Running(Process process, int port, int admin, Path log) {
    }

    private Running startCandidate(Target target, String java, String pool, String heap, boolean record)
            throws Exception {
        int port = freePort();
        int admin = freePort();
        List<String> flags = new ArrayList<>();
        flags.add(heap);
        flags.addAll(CANDIDATE_FLAGS);
        if (record && target == KEYFAILOVER) {
            flags.add("-XX:StartFlightRecording=filename=" + runDir.toAbsolutePath().resolve("keyfailover.jfr")
                    + ",settings=profile,dumponexit=true");
        }
        Path log = logFor(target.kind() + "-" + pool.replace(':', '-'));
        Process process = start(log, java, flags, Candidate.class, List.of(target.kind(), String.valueOf(port),
                String.valueOf(admin), String.valueOf(upstreamPort), pool, MAX_UPSTREAM_CONNECTIONS));
        awaitHttp(admin, "/mem");
        awaitPort(port);
        return new Running(process, port, admin, log);
    }

    private void stop(Running candidate) throws InterruptedException {
        if (candidate == null) {
            return;
        }
        candidate.process.destroy();
        if (!candidate.process.waitFor(10, TimeUnit.SECONDS)) {
            candidate.process.destroyForcibly();
            candidate.process.waitFor();
        }
        processes.remove(candidate.process);
    }

    private JsonObject loadgen(String label, List<String> args) throws Exception {
        System.out.println("[bench] " + label);
        Path log = logFor("loadgen-" + label.replaceAll("[^A-Za-z0-9=]+", "-"));
        Process process = start(log, java17, List.of("-Xmx1g", "-XX:+UseG1GC"), LoadGen.class, args);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("load generator hung: " + label);
        }
        processes.remove(process);
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("RESULT ")) {
                JsonObject result = json(line.substring(7));
                raw.put(label, result);
                System.out.println("[bench]   " + result);
                return result;
            }
        }
        throw new IllegalStateException("no result from load generator '" + label + "', see " + log);
    }

    private Path logFor(String name) {
        return logs.resolve(String.format(Locale.ROOT, "%03d-%s.log", ++logSeq, name));
    }

    private Process start(String name, String java, List<String> flags, Class<?> main, List<String> args)
            throws IOException {
        return start(logFor(name), java, flags, main, args);
    }

    private Process start(Path log, String java, List<String> flags, Class<?> main, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        command.add("-cp");
        command.add(classpath);
        command.add(main.getName());
        command.addAll(args);
        Files.writeString(log, String.join(" ", command) + "\n");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(process);
        return process;
    }

    private void stopAll() {
        for (Process process : new ArrayList<>(processes)) {
            process.destroy();
        }
        for (Process process : new ArrayList<>(processes)) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
        processes.clear();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                if (socket.isConnected()) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nothing listens on " + port);
                }
                Thread.sleep(100);
            }
        }
    }

    private static void awaitHttp(int port, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                httpGet(port, path);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer on " + port + path);
                }
                Thread.sleep(100);
            }
        }
    }

    private static String httpGet(int port, String path) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        conn.setConnectTimeout(2000);
        conn.setReadTimeout(30000);
        try (var in = conn.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            conn.disconnect();
        }
    }

    // ---------------------------------------------------------------- formatting

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static JsonObject get(Map<Target, Map<String, JsonObject>> all, Target target, String key) {
        Map<String, JsonObject> results = all.get(target);
        return results == null ? null : results.get(key);
    }

    private static double num(JsonObject o, String key) {
        if (o == null || !o.containsKey(key) || o.get(key).getValueType() != JsonValue.ValueType.NUMBER) {
            return Double.NaN;
        }
        return o.getJsonNumber(key).doubleValue();
    }

    private static String fmt(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String ms(JsonObject o, String key) {
        return fmt(num(o, key) / 1000, 3);
    }

    private static String mib(double bytes) {
        return fmt(bytes / 1048576, 1);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "" : fmt(a / b, 2) + "x";
    }

    /** The outcomes other than the good one, e.g. "status-502: 3". */
    private static String errors(JsonObject r, String good) {
        JsonObject outcomes = r.getJsonObject("outcomes");
        String text = outcomes.entrySet().stream().filter(e -> !e.getKey().equals(good))
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
        return text.isEmpty() ? "none" : text.replace("|", "\\|");
    }

    private static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name");
    }

    private static String procLine(String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(field)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " (1 min), "
                    + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[1] + " (5 min)";
        } catch (IOException e) {
            return "?";
        }
    }

    private static String javaVersion(String java) throws Exception {
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String[] lines = text.split("\n");
        return (lines.length > 1 ? lines[1] : lines[0]).trim();
    }
}
