package dev.keyfailover.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * How every candidate JVM of scenarios 1 to 3 is recorded, each into a file named by its kind (keyfailover, jetty, ...),
 * so that the proxies' profiles of one run can be compared: not at all, with JFR ({@code --jfr}), or with
 * async-profiler ({@code --async-profiler=EVENT}, EVENT being cpu, alloc, wall or lock), whose agent comes out of its
 * Maven jar on the classpath. async-profiler writes collapsed stacks (one line per stack and its sample count, or its
 * bytes for alloc), which grep and sort read as they are and any flame-graph tool turns into a picture.
 *
 * @param event null for none, "jfr", or an async-profiler event
 */
record Profiler(String event) {

    static final Profiler NONE = new Profiler(null);
    private static final String AGENT = "linux-x64/libasyncProfiler.so";

    static Profiler jfr() {
        return new Profiler("jfr");
    }

    static Profiler asyncProfiler(String event) {
        if (!List.of("cpu", "alloc", "wall", "lock", "itimer").contains(event)) {
            throw new IllegalArgumentException("--async-profiler takes cpu, alloc, wall, lock or itimer, not " + event);
        }
        return new Profiler(event);
    }

    boolean on() {
        return event != null;
    }

    /** The JVM flags that record the candidate of kind {@code kind} into {@code runDir}. */
    List<String> flags(Path runDir, String kindAsGiven) throws IOException {
        String kind = kindAsGiven.replace(Candidate.BEFORE, "-before");
        if (event == null) {
            return List.of();
        }
        Path dir = runDir.toAbsolutePath();
        if (event.equals("jfr")) {
            return List.of("-XX:StartFlightRecording=filename=" + dir.resolve(kind + ".jfr")
                    + ",settings=profile,dumponexit=true");
        }
        Path agent = dir.resolve("libasyncProfiler.so");
        try (InputStream in = Profiler.class.getClassLoader().getResourceAsStream(AGENT)) {
            if (in == null) {
                throw new IOException(AGENT + " is not on the classpath (tools.profiler:async-profiler)");
            }
            Files.copy(in, agent, StandardCopyOption.REPLACE_EXISTING);
        }
        // alloc: each stack weighed by the bytes it allocated; the others: samples every millisecond.
        String interval = event.equals("alloc") ? ",total" : ",interval=1ms";
        return List.of("-agentpath:" + agent + "=start,event=" + event + interval + ",collapsed,file="
                + dir.resolve(kind + "-" + event + ".collapsed"));
    }
}
