package dev.keyfailover.containers;

/**
 * The WAR on the real WildFly distribution, {@code standalone.xml} as shipped (see
 * {@link WildFlyDeployment}).
 */
class WildFlyIT extends ContainerScenarios {

    @Override
    protected Deployment deploy() throws Exception {
        return WildFlyDeployment.start();
    }
}
