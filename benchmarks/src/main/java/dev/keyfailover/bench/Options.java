package dev.keyfailover.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command line of one run (benchmarks/README.md lists the options) and the durations it implies.
 *
 * @param quick short durations: a smoke run that proves the harness, its numbers are noise
 * @param profiler how the candidate JVMs of scenarios 1 to 3 are recorded, if at all
 * @param scenarios the numbers of the scenarios to run
 * @param out the Markdown report
 * @param java17 the java executable of the upstream, the load generator and the candidates
 * @param java25 the java executable of scenario 5's virtual-thread candidates
 * @param streams scenario 7's number of streams; 0 for its default (10,000, or 2,000 with {@code --quick})
 * @param virtualThreads scenarios 1 to 3 and 11 on Java 25 with Jetty's {@code VirtualThreadPool} instead of Java 17 and its
 *     {@code QueuedThreadPool}
 * @param before filter-impl classes of an earlier commit ({@code --before=DIR}, run.sh's {@code BEFORE=<commit>}): the
 *     KeyFailoverServlet rows of scenarios 1 and 2 run once more with them, before and after in one run; null for none
 * @param beforeLabel what the report calls that build (its commit)
 * @param afterFirst the "(before)" candidates run after this build's rather than before ({@code --after-first})
 * @param rounds scenario 11's number of rounds ({@code --rounds=N}; 5, or 2 with {@code --quick}, when not given)
 * @param sseOnly scenario 11's rounds measure only its SSE cells ({@code --sse-only}): three times the rounds an hour,
 *     for the SSE tail's pooled comparison ({@link SseTail})
 */
record Options(boolean quick, Profiler profiler, Set<Integer> scenarios, Path out, String java17, String java25,
        int streams, boolean virtualThreads, Path before, String beforeLabel, boolean afterFirst, int rounds,
        boolean sseOnly) {

    static Options parse(String[] args) {
        boolean quick = false;
        Profiler profiler = Profiler.NONE;
        Set<Integer> scenarios = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        Path out = Path.of("benchmarks/RESULTS.md");
        String java17 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String java25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
        int streams = 0;
        boolean virtualThreads = false;
        Path before = null;
        String beforeLabel = "before";
        boolean afterFirst = false;
        int rounds = 0;
        boolean sseOnly = false;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.equals("--jfr")) {
                profiler = Profiler.jfr();
            } else if (arg.startsWith("--async-profiler=")) {
                profiler = Profiler.asyncProfiler(arg.substring(17));
            } else if (arg.startsWith("--scenarios=")) {
                scenarios = new TreeSet<>();
                for (String s : arg.substring(12).split(",")) {
                    scenarios.add(Integer.parseInt(s.trim()));
                }
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring(6));
            } else if (arg.startsWith("--java17=")) {
                java17 = arg.substring(9);
            } else if (arg.startsWith("--java25=")) {
                java25 = arg.substring(9);
            } else if (arg.equals("--virtual-threads")) {
                virtualThreads = true;
            } else if (arg.startsWith("--before=")) {
                before = Path.of(arg.substring(9));
            } else if (arg.equals("--after-first")) {
                afterFirst = true;
            } else if (arg.startsWith("--before-label=")) {
                beforeLabel = arg.substring(15);
            } else if (arg.startsWith("--rounds=")) {
                rounds = rounds(arg.substring(9));
            } else if (arg.equals("--sse-only")) {
                sseOnly = true;
            } else if (arg.startsWith("--streams=")) {
                streams = Integer.parseInt(arg.substring(10));
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new Options(quick, profiler, scenarios, out, java17, java25, streams, virtualThreads, before, beforeLabel,
                afterFirst, rounds > 0 ? rounds : quick ? 2 : 5, sseOnly);
    }

    private static int rounds(String value) {
        try {
            int rounds = Integer.parseInt(value.trim());
            if (rounds >= 1) {
                return rounds;
            }
        } catch (NumberFormatException e) {
            // the message below says what is accepted
        }
        throw new IllegalArgumentException("--rounds=" + value + ": expected a whole number of at least 1, e.g. "
                + "--rounds=5 (the default; 2 with --quick)");
    }

    /** The java executable of scenarios 1 to 3's (and 11's) candidates. */
    String warmJava() {
        return virtualThreads ? java25 : java17;
    }

    /** The thread pool of scenarios 1 to 3's (and 11's) candidates, as {@link Candidate} reads it. */
    String warmPool() {
        return virtualThreads ? CandidateJvm.VIRTUAL_POOL : CandidateJvm.PLATFORM_POOL;
    }

    boolean runs(int scenario) {
        return scenarios.contains(scenario);
    }

    /** Seconds of unmeasured load before each measured cell. */
    int warmupSeconds() {
        return quick ? 1 : 2;
    }

    /** Seconds measured per cell. */
    int measureSeconds() {
        return quick ? 2 : 6;
    }

    /** Seconds measured per cell of scenario 9 (provider failures): the provider is down for the middle third. */
    int providerFailureSeconds() {
        return quick ? 6 : 30;
    }

    /** Seconds of load on a fresh JVM before anything is measured (JIT, pools, buffers). */
    int jvmWarmupSeconds() {
        return quick ? 5 : 10;
    }
}
