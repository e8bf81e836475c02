package dev.keyfailover.bench;

import java.util.List;

/**
 * A scenario measured in the candidate JVMs that scenarios 1 to 3 share ({@link WarmCandidates}): each target's
 * JVM starts and warms up once, then each of these scenarios measures in it in turn.
 */
interface WarmScenario {

    /** Its number on the command line ({@code --scenarios=1,2}) and in the report. */
    int number();

    /** The targets it measures; Jetty's ProxyServlet with a flush after each chunk is for streaming scenarios only. */
    default List<Target> targets() {
        return Target.ALL;
    }

    /** Measures one target, keeping what it found for {@link #results}. */
    void measure(Endpoint endpoint, Lab lab) throws Exception;

    /** What {@link #measure} found over all targets; it writes the scenario's section of the report. */
    Section results(Options options);
}
