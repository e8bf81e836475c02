package dev.keyfailover.containers;

/** The WAR file on Eclipse Jetty 12 (ee10, Servlet 6.0), as a {@code WebAppContext} at the root. */
class JettyIT extends ContainerScenarios {

    @Override
    protected Deployment deploy() throws Exception {
        return JettyDeployment.start();
    }
}
