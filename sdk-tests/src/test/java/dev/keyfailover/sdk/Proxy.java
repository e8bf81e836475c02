package dev.keyfailover.sdk;

import java.util.Map;

import dev.keyfailover.servlet.KeyFailoverServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * {@link KeyFailoverServlet} on an embedded Jetty 12 (ee10) at 127.0.0.1 and a free port, one
 * route at {@code /<provider>/*} configured by init-params as in web.xml: a fresh pool per test.
 */
final class Proxy implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private Proxy(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** @param parameters the route's init-params ({@code baseUrl}, {@code keys}, {@code byok}, …) */
    static Proxy start(String provider, Map<String, String> parameters) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(provider, KeyFailoverServlet.class);
        holder.setInitParameter("provider", provider);
        parameters.forEach(holder::setInitParameter);
        holder.setInitOrder(1);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/" + provider + "/*");
        server.setHandler(context);
        server.start();
        return new Proxy(server, connector);
    }

    /** {@code http://127.0.0.1:<port>/<path>}. */
    String url(String path) {
        return "http://127.0.0.1:" + connector.getLocalPort() + path;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
