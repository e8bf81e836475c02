package dev.keyfailover.containers;

/** The 2,000 streams on Tomcat 10.1 (embedded), its connector on virtual threads, on Java 25. */
class Tomcat10VirtualThreadsIT extends ManyStreamsScenario {

    @Override
    protected Deployment deploy() throws Exception {
        return TomcatDeployment.startOnVirtualThreads("10.1.", CAPACITY);
    }

    @Override
    protected String checkWhatHoldsTheStreams() {
        return assertNoPlatformThreadInTheProxy();
    }
}
