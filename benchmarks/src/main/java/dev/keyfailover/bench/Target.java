package dev.keyfailover.bench;

import java.util.List;

/**
 * One way to reach the upstream: directly, or through one candidate proxy.
 *
 * @param name its name in the report
 * @param kind the candidate's kind ({@link Candidate}'s first argument); null for direct
 * @param prefix the route the load generator sends to
 * @param auth the bearer key the client sends, or {@code none} (KeyFailoverServlet applies its own)
 */
record Target(String name, String kind, String prefix, String auth) {

    static final Target DIRECT = new Target("direct", null, "", Candidate.GOOD_KEY);
    static final Target KEYFAILOVER = new Target("KeyFailoverServlet", "keyfailover", "/k0", "none");
    /** The same routes with a Prometheus registry in the context, so every meter records (issue 11's cost). */
    static final Target KEYFAILOVER_METRICS = new Target("KeyFailoverServlet + metrics", "keyfailover-metrics", "/k0",
            "none");
    /**
     * The two KeyFailoverServlet rows again with the filter-impl classes of an earlier commit in front of the
     * classpath ({@code run.sh}'s {@code BEFORE=<commit>}, {@link Options#before()}): before and after in one run.
     * Left out when there is no such build.
     */
    static final Target KEYFAILOVER_BEFORE = new Target("KeyFailoverServlet (before)", "keyfailover" + Candidate.BEFORE,
            "/k0", "none");
    static final Target KEYFAILOVER_METRICS_BEFORE = new Target("KeyFailoverServlet + metrics (before)",
            "keyfailover-metrics" + Candidate.BEFORE, "/k0", "none");
    static final Target JETTY = new Target("Jetty ProxyServlet", "jetty", "/k0", Candidate.GOOD_KEY);
    static final Target MITRE = new Target("MITRE ProxyServlet", "mitre", "/k0", Candidate.GOOD_KEY);
    /** Jetty's ProxyServlet with a flush after each chunk (its maintainers' advice for SSE); streaming scenarios only. */
    static final Target JETTY_FLUSH = new Target("Jetty ProxyServlet + flush", "jetty-flush", "/k0", Candidate.GOOD_KEY);

    /**
     * Portkey's AI gateway ({@link PortkeyNode}), a Node process: no route prefix of its own, the keys come in its
     * {@code x-portkey-config} header (a fallback over the route's keys), so the client sends none.
     */
    static final Target PORTKEY = new Target("Portkey gateway " + PortkeyNode.VERSION, "portkey", "/k0", "none");

    static final List<Target> STREAMING = List.of(DIRECT, KEYFAILOVER_BEFORE, KEYFAILOVER, JETTY, JETTY_FLUSH, MITRE,
            PORTKEY);
    /** The Java servlet proxies and direct (scenario 4 and the default of the warm scenarios). */
    static final List<Target> ALL = List.of(DIRECT, KEYFAILOVER, JETTY, MITRE);
    /** Every target, in the order the warm scenarios visit them (the two KeyFailoverServlet rows side by side). */
    static final List<Target> EVERY = List.of(DIRECT, KEYFAILOVER_BEFORE, KEYFAILOVER, KEYFAILOVER_METRICS_BEFORE,
            KEYFAILOVER_METRICS, JETTY, JETTY_FLUSH, MITRE, PORTKEY);
    /** Scenario 1 also measures the proxy with its metrics recording. */
    static final List<Target> THROUGHPUT = List.of(DIRECT, KEYFAILOVER_BEFORE, KEYFAILOVER, KEYFAILOVER_METRICS_BEFORE,
            KEYFAILOVER_METRICS, JETTY, MITRE, PORTKEY);
    /** Scenario 3: the Java proxies and Portkey's fallback. */
    static final List<Target> FAILOVER = List.of(DIRECT, KEYFAILOVER, JETTY, MITRE, PORTKEY);
    /** Scenario 10: the two pools, and Jetty's proxy passing the 429s through. */
    static final List<Target> COOLING = List.of(DIRECT, KEYFAILOVER, JETTY, PORTKEY);

    /** {@link #EVERY} with each "(before)" row visited after its own build's, to tell an order effect from a difference. */
    static List<Target> everyAfterFirst() {
        return List.of(DIRECT, KEYFAILOVER, KEYFAILOVER_BEFORE, KEYFAILOVER_METRICS, KEYFAILOVER_METRICS_BEFORE, JETTY,
                JETTY_FLUSH, MITRE, PORTKEY);
    }

    boolean direct() {
        return kind == null;
    }

    /** Whether this is an earlier build's row ({@link #KEYFAILOVER_BEFORE}, {@link #KEYFAILOVER_METRICS_BEFORE}). */
    boolean before() {
        return kind != null && kind.endsWith(Candidate.BEFORE);
    }
}
