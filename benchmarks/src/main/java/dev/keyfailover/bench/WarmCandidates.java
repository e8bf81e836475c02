package dev.keyfailover.bench;

import java.util.List;

/**
 * Runs scenarios 1 to 3 target by target in one candidate JVM each, warmed up the same way for every target, so that
 * JIT compilation is not what they measure and each candidate starts only once.
 */
final class WarmCandidates {

    private WarmCandidates() {
    }

    static void measure(List<WarmScenario> scenarios, Lab lab) throws Exception {
        Options options = lab.options();
        for (Target target : options.afterFirst() ? Target.everyAfterFirst() : Target.EVERY) {
            List<WarmScenario> here = scenarios.stream().filter(s -> s.targets().contains(target)).toList();
            if (here.isEmpty()) {
                continue;
            }
            if (target.before() && options.before() == null) {
                continue; // no earlier build given: the after rows stand alone
            }
            String unavailable = Lab.unavailable(target);
            if (unavailable != null) {
                System.out.println("[bench] skipping " + target.name() + ": " + unavailable);
                continue;
            }
            try (Endpoint endpoint = lab.open(target, options.warmJava(), options.warmPool(), CandidateJvm.HEAP,
                    options.profiler())) {
                warmUp(endpoint, lab);
                for (WarmScenario scenario : here) {
                    scenario.measure(endpoint, lab);
                }
            }
        }
    }

    /** The same warm-up for every target, measured nowhere: JSON POSTs at c=16, then SSE streams. */
    private static void warmUp(Endpoint endpoint, Lab lab) throws Exception {
        int seconds = lab.options().jvmWarmupSeconds();
        String name = endpoint.target().name();
        lab.load(name + " warm-up json", endpoint.loadArgs("mode=rps", "conc=16", "warmup=0", "duration=" + seconds));
        lab.load(name + " warm-up sse", endpoint.loadArgs("mode=sse", "conc=16", "warmup=0",
                "duration=" + Math.max(2, seconds / 3)));
    }
}
