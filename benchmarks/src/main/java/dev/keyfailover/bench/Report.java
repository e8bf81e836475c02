package dev.keyfailover.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The Markdown report (RESULTS.md): the machine, one section per scenario with its charts (PNGs in {@code results/}
 * next to the report), the load average at the end.
 */
final class Report {

    private final StringBuilder markdown = new StringBuilder();
    private final List<Chart> charts = new ArrayList<>();

    /** The title and the machine; written before anything starts, so the load average is the machine's own. */
    void writeMachine(Options options) throws Exception {
        String now = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        markdown.append("# keyfailover benchmark results\n\n");
        if (options.quick()) {
            markdown.append("> **Quick smoke run** (`benchmarks/run.sh --quick`): durations of ")
                    .append(options.warmupSeconds()).append(" s warm-up and ").append(options.measureSeconds())
                    .append(" s measurement per cell, on a machine ")
                    .append("shared with other builds. It proves the harness works end to end; its numbers are ")
                    .append("noisy and are not the product's performance. Run `benchmarks/run.sh` on a quiet machine ")
                    .append("for numbers.\n\n");
        }
        markdown.append("## Machine\n\n| fact | value |\n|---|---|\n");
        markdown.append("| date | ").append(now).append(" |\n");
        markdown.append("| cores | ").append(Runtime.getRuntime().availableProcessors()).append(" (")
                .append(Machine.cpuModel()).append(") |\n");
        markdown.append("| memory | ").append(Machine.memory()).append(" |\n");
        String node = PortkeyNode.nodeVersion();
        markdown.append("| Node (Portkey's gateway ").append(PortkeyNode.VERSION).append(") | ")
                .append(node == null ? "none: Portkey's rows are empty" : node).append(" |\n");
        if (options.before() != null) {
            markdown.append("| \"(before)\" rows | the same servlet with filter-impl built from `")
                    .append(options.beforeLabel()).append("` in front of the classpath (before and after in one run) |\n");
        }
        markdown.append("| load average at start | ").append(Machine.loadAverage()).append(" |\n");
        markdown.append("| JDK (upstream, load generator, candidates) | ").append(Machine.javaVersion(options.java17()))
                .append(" |\n");
        if (options.virtualThreads()) {
            markdown.append("| JDK and pool of scenarios 1 to 3's (and 11's) candidates (`--virtual-threads`) | ")
                    .append(Machine.javaVersion(options.java25())).append(", `VirtualThreadPool` (max ")
                    .append(CandidateJvm.VT_MAX_TASKS).append(" tasks) |\n");
        }
        if (options.runs(5)) {
            markdown.append("| JDK (scenario 5, virtual threads) | ").append(Machine.javaVersion(options.java25()))
                    .append(" |\n");
        }
        markdown.append("| candidate JVM flags | `").append(CandidateJvm.HEAP).append(' ')
                .append(String.join(" ", CandidateJvm.FLAGS)).append("` (scenario 4: `").append(CandidateJvm.SMALL_HEAP)
                .append("` instead) |\n");
        markdown.append("| candidate thread pool | Jetty 12.1.14 `QueuedThreadPool` defaults (8..200 platform threads); ")
                .append("scenario 5 also `VirtualThreadPool` (max ").append(CandidateJvm.VT_MAX_TASKS)
                .append(" tasks) on Java 25; scenario 7 only `VirtualThreadPool` (max ").append(ManyStreams.VT_MAX_TASKS)
                .append(" tasks) on Java 25 |\n");
        markdown.append("| upstream connection pool of every proxy | ").append(CandidateJvm.MAX_UPSTREAM_CONNECTIONS)
                .append(" (KeyFailoverServlet `maxConnections`, Jetty `maxConnections`, MITRE `http.maxConnections`); scenario 7: ")
                .append(ManyStreams.MAX_CONNECTIONS).append(" |\n");
        markdown.append("| load generator | separate JVM (`LoadGen`), closed loop, one blocking keep-alive HTTP/1.1 ")
                .append("connection per thread, HdrHistogram 2.2.2; scenario 7: Java 25, one virtual thread per stream |\n");
        markdown.append("| everything on | 127.0.0.1, one machine: upstream, candidate and load generator share the ")
                .append("cores |\n\n");
    }

    /** Its text, then its charts ({@link Charted}), drawn when the report is written. */
    void add(Section section) {
        section.writeTo(markdown);
        if (section instanceof Charted charted) {
            for (Chart chart : charted.charts()) {
                if (!chart.empty()) {
                    charts.add(chart);
                    markdown.append(chart.markdown());
                }
            }
        }
    }

    /** Ends the report with the load average now, writes it to {@code out} and prints it. */
    void write(Path out) throws IOException {
        markdown.append("Load average at the end: ").append(Machine.loadAverage()).append(".\n");
        markdown.append("\n_Raw results (JSON per run) and every process's log: `benchmarks/target/bench-run/`._\n");
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.writeString(out, markdown.toString());
        // The numbers first: a chart that cannot be drawn must not cost the run its report.
        for (Chart chart : charts) {
            try {
                chart.draw(dir.resolve(Chart.DIR));
            } catch (IOException | RuntimeException e) {
                System.out.println("[bench] chart " + chart.name() + " not drawn: " + e);
            }
        }
        System.out.println(markdown);
    }
}
