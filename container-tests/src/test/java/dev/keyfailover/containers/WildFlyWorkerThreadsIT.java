package dev.keyfailover.containers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 2,000 streams on WildFly, on Java 25. WildFly 39 has no setting that runs servlet requests
 * on virtual threads: Undertow runs each on a platform thread of its io worker, at most
 * {@code task-max-threads} of them (default: 16 per CPU). This run raises that limit.
 */
class WildFlyWorkerThreadsIT extends ManyStreamsScenario {

    private WildFlyDeployment wildFly;

    @Override
    protected Deployment deploy() throws Exception {
        wildFly = WildFlyDeployment.startWithWorkerThreads(CAPACITY);
        return wildFly;
    }

    @Override
    protected String checkWhatHoldsTheStreams() throws Exception {
        int threads = wildFly.serverThreads();
        assertThat(threads).as("threads of WildFly's JVM: one worker thread per open stream, and its own")
                .isGreaterThanOrEqualTo(STREAMS);
        return threads + " threads in WildFly's JVM";
    }
}
