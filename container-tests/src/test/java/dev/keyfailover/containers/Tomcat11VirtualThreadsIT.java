package dev.keyfailover.containers;

/**
 * The 2,000 streams on Tomcat 11 (embedded), its connector on virtual threads, on Java 25. Runs in
 * a failsafe execution whose classpath holds Tomcat 11 instead of 10.1 (see the pom).
 */
class Tomcat11VirtualThreadsIT extends ManyStreamsScenario {

    @Override
    protected Deployment deploy() throws Exception {
        return TomcatDeployment.startOnVirtualThreads("11.0.", CAPACITY);
    }

    @Override
    protected String checkWhatHoldsTheStreams() {
        return assertNoPlatformThreadInTheProxy();
    }
}
