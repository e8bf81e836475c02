package dev.keyfailover.bench;

import java.util.List;

/**
 * Runs scenarios 1 to 3 target by target in one candidate JVM each, warmed up the same way for every target, so that
 * JIT compilation is not what they measure and each candidate starts only once. Scenario 11 ({@link Rounds}) starts
 * and warms up its candidates the same way.
 */
final class WarmCandidates {

    private WarmCandidates() {
    }

    static void measure(List<WarmScenario> scenarios, Lab lab) throws Exception {
        Options options = lab.options();
        for (Target target : options.afterFirst() ? Target.everyAfterFirst() : Target.EVERY) {
            List<WarmScenario> here = scenarios.stream().filter(s -> s.targets().contains(target)).toList();
            if (here.isEmpty() || !runs(target, options)) {
                continue;
            }
            try (Endpoint endpoint = open(lab, target)) {
                warmUp(endpoint, lab);
                for (WarmScenario scenario : here) {
                    scenario.measure(endpoint, lab);
                }
            }
        }
    }

    /**
     * Whether {@code target} takes part in this run: a "(before)" row only when an earlier build is given, a candidate
     * this machine cannot run (Portkey without Node) not at all, with a line saying why.
     */
    static boolean runs(Target target, Options options) {
        if (target.before() && options.before() == null) {
            return false; // no earlier build given: the after rows stand alone
        }
        String unavailable = Lab.unavailable(target);
        if (unavailable != null) {
            System.out.println("[bench] skipping " + target.name() + ": " + unavailable);
            return false;
        }
        return true;
    }

    /** Starts {@code target}'s candidate as every warm scenario runs it: its JDK, pool, heap and profiler. */
    static Endpoint open(Lab lab, Target target) throws Exception {
        Options options = lab.options();
        return lab.open(target, options.warmJava(), options.warmPool(), CandidateJvm.HEAP, options.profiler());
    }

    /** The same warm-up for every target, measured nowhere: JSON POSTs at c=16, then SSE streams. */
    static void warmUp(Endpoint endpoint, Lab lab) throws Exception {
        int seconds = lab.options().jvmWarmupSeconds();
        String name = endpoint.target().name();
        lab.load(name + " warm-up json", endpoint.loadArgs("mode=rps", "conc=16", "warmup=0", "duration=" + seconds));
        lab.load(name + " warm-up sse", endpoint.loadArgs("mode=sse", "conc=16", "warmup=0",
                "duration=" + Math.max(2, seconds / 3)));
    }
}
