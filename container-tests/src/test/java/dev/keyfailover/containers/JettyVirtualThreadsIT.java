package dev.keyfailover.containers;

/** The 2,000 streams on Jetty 12 (embedded) with a {@code VirtualThreadPool}, on Java 25. */
class JettyVirtualThreadsIT extends ManyStreamsScenario {

    @Override
    protected Deployment deploy() throws Exception {
        return JettyDeployment.startOnVirtualThreads(CAPACITY);
    }

    @Override
    protected String checkWhatHoldsTheStreams() {
        return assertNoPlatformThreadInTheProxy();
    }
}
