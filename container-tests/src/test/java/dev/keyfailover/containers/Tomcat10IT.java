package dev.keyfailover.containers;

/** The WAR on Apache Tomcat 10.1 (embedded, Servlet 6.0). */
class Tomcat10IT extends ContainerScenarios {

    @Override
    protected Deployment deploy() throws Exception {
        return TomcatDeployment.start("10.1.");
    }
}
