package dev.keyfailover.containers;

/**
 * The WAR on Apache Tomcat 11 (embedded, Servlet 6.1). Runs in its own failsafe execution,
 * whose classpath holds Tomcat 11 instead of 10.1 (see the pom).
 */
class Tomcat11IT extends ContainerScenarios {

    @Override
    protected Deployment deploy() throws Exception {
        return TomcatDeployment.start("11.0.");
    }
}
