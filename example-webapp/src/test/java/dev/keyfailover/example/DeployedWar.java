package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The packaged example WAR deployed on an embedded Jetty 12 at {@code /}, on a free port of
 * 127.0.0.1, with context-params as a deployment would give them (route defaults such as
 * {@code keyfailover.responseTimeout}, or the example's variables by their names).
 */
final class DeployedWar implements AutoCloseable {

    private final Server server;
    private final WebAppContext webapp;
    private final int port;

    private DeployedWar(Server server, WebAppContext webapp, int port) {
        this.server = server;
        this.webapp = webapp;
        this.port = port;
    }

    static DeployedWar start(Map<String, String> contextParams) throws Exception {
        Path war = Path.of(System.getProperty("example.war"));
        assertThat(war).exists();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext(war.toString(), "/");
        webapp.setTempDirectory(Files.createTempDirectory("example-war").toFile());
        contextParams.forEach(webapp::setInitParameter);
        server.setHandler(webapp);
        server.start();
        assertThat(webapp.isAvailable()).as("webapp started").isTrue();
        return new DeployedWar(server, webapp, connector.getLocalPort());
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** An init-param of a servlet as the example configured it, e.g. a route's {@code baseUrl}. */
    String servletParameter(String servlet, String name) {
        return webapp.getServletContext().getServletRegistration(servlet).getInitParameter(name);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
