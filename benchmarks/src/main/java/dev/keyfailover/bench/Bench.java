package dev.keyfailover.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The orchestrator behind {@code benchmarks/run.sh}: starts the fake upstream, runs the selected scenarios (each
 * starts the candidates and load-generator runs it needs, every one in a JVM of its own on 127.0.0.1) and writes the
 * report; benchmarks/README.md explains the scenarios and {@link Options} the command line.
 */
public final class Bench {

    private Bench() {
    }

    /** Scenarios 1 to 3 and 10: measured one after the other in one warmed-up candidate per target. */
    static List<WarmScenario> warmScenarios() {
        return List.of(new JsonThroughput(), new SseDelay(), new FailoverCost(), new CoolingKeys());
    }

    /** Every other scenario, in report order, each starting its own JVMs: a new scenario goes at the end of this list. */
    static List<Scenario> scenarios() {
        return List.of(new SmallHeapMemory(), new OpenStreams(), new ModelLimits(), new ManyStreams(),
                new SharedState(), new ProviderFailures(), new Rounds());
    }

    public static void main(String[] args) throws Exception {
        Processes processes = new Processes(Path.of("benchmarks/target/bench-run"));
        Options options = Options.parse(args);
        processes.beforeClasses(options.before());
        Runtime.getRuntime().addShutdownHook(new Thread(processes::stopAll));
        long t0 = System.nanoTime();
        try {
            run(options, processes);
        } finally {
            processes.stopAll();
        }
        System.out.printf(Locale.ROOT, "benchmark finished in %.0f s; report: %s%n", (System.nanoTime() - t0) / 1e9,
                options.out());
    }

    private static void run(Options options, Processes processes) throws Exception {
        Report report = new Report();
        report.writeMachine(options);
        UpstreamJvm upstream = UpstreamJvm.start(processes, options.java17());
        LoadGenerator loadGenerator = new LoadGenerator(processes, options.java17());
        Lab lab = new Lab(options, processes, upstream, loadGenerator);

        List<WarmScenario> warm = warmScenarios().stream().filter(s -> options.runs(s.number())).toList();
        WarmCandidates.measure(warm, lab);
        for (WarmScenario scenario : warm) {
            report.add(scenario.results(options));
        }
        for (Scenario scenario : scenarios()) {
            if (options.runs(scenario.number())) {
                report.add(scenario.measure(lab));
            }
        }
        loadGenerator.writeRaw(processes.runDir().resolve("raw.json"));
        report.write(options.out());
    }
}
