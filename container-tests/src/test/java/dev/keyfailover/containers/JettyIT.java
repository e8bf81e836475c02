package dev.keyfailover.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;

/** The WAR file on Eclipse Jetty 12 (ee10, Servlet 6.0), as a {@code WebAppContext} at the root. */
class JettyIT extends ContainerScenarios {

    @Override
    protected Deployment deploy() throws Exception {
        assertThat(Jetty.VERSION).as("Jetty on the classpath").startsWith("12.");
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext(Env.war().toAbsolutePath().toString(), "/");
        webapp.setTempDirectory(Files.createTempDirectory("jetty-war").toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.start();
        assertThat(webapp.isAvailable()).as("the WAR's context started").isTrue();
        return Deployment.embedded(connector.getLocalPort(), server::stop);
    }
}
