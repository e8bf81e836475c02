package dev.keyfailover.bench;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;

/**
 * Scenario 9: when the provider itself fails (issue 18). The upstream's flaky path ({@link Faults}) fails 10 % of
 * requests (500, 503, reset) in one run and is down (503 to everything) for the middle third of another; the client
 * talks to it directly, through KeyFailoverServlet without a fallback, and through KeyFailoverServlet with a fallback
 * route to the upstream's healthy path ({@link FaultRoutes}). Success rate, latency of the successes, and upstream
 * attempts per client request.
 */
final class ProviderFailures implements Scenario {

    static final int CONCURRENCY = 16;
    static final int FAIL_PERCENT = 10;
    /** The seed of the measured runs' verdicts; the warm-up uses another. */
    static final int SEED = 18;

    static final Target DIRECT = new Target("direct", null, "/flaky", Candidate.GOOD_KEY);
    static final Target NO_FALLBACK = new Target("KeyFailoverServlet, no fallback", "keyfailover-faults", "/flaky",
            "none");
    static final Target WITH_FALLBACK = new Target("KeyFailoverServlet + fallback route", "keyfailover-faults",
            "/flaky-fb", "none");

    /** The provider's two failure modes, each a run of its own. */
    enum Mode {
        FLAKY("10 % fail"), DOWN("down for the middle third");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    @Override
    public int number() {
        return 9;
    }

    @Override
    public Section measure(Lab lab) throws Exception {
        Options options = lab.options();
        List<ProviderFailuresResults.Row> rows = new ArrayList<>();
        for (Target target : List.of(DIRECT, NO_FALLBACK, WITH_FALLBACK)) {
            try (Endpoint endpoint = lab.open(target, options.java17(), CandidateJvm.PLATFORM_POOL, CandidateJvm.HEAP,
                    Profiler.NONE)) {
                // Unmeasured, on a fresh JVM: the success, retry and fallback paths get compiled.
                lab.upstream().armFaults("failPercent=" + FAIL_PERCENT + "&seed=" + (SEED + 1));
                lab.load(target.name() + " s9 warm-up", endpoint.loadArgs("mode=rps", "conc=" + CONCURRENCY,
                        "warmup=0", "duration=" + options.jvmWarmupSeconds()));
                for (Mode mode : Mode.values()) {
                    rows.add(measure(lab, endpoint, mode));
                }
            }
        }
        return new ProviderFailuresResults(options.warmupSeconds(), options.providerFailureSeconds(), rows);
    }

    /**
     * One run: the plan is armed just before the load generator starts, and its clock starts at the first request, so
     * the upstream's measurement window is the load generator's (within a round trip).
     */
    private static ProviderFailuresResults.Row measure(Lab lab, Endpoint endpoint, Mode mode) throws Exception {
        Options options = lab.options();
        long windowMs = options.providerFailureSeconds() * 1000L;
        String plan = "seed=" + SEED + "&warmupMs=" + options.warmupSeconds() * 1000L + switch (mode) {
            case FLAKY -> "&failPercent=" + FAIL_PERCENT;
            case DOWN -> "&downFromMs=" + windowMs / 3 + "&downForMs=" + windowMs / 3;
        };
        lab.upstream().armFaults(plan);
        JsonObject result = lab.load(endpoint.target().name() + " s9 " + mode.name().toLowerCase(java.util.Locale.ROOT),
                endpoint.loadArgs("mode=rps", "conc=" + CONCURRENCY, "warmup=" + options.warmupSeconds(),
                        "duration=" + options.providerFailureSeconds()));
        JsonObject faults = lab.upstream().counters().getJsonObject("faults");
        return new ProviderFailuresResults.Row(mode, endpoint.target().name(), result, faults);
    }
}
