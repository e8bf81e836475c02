package dev.keyfailover.testing;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.keyfailover.servlet.KeyFailoverServlet;
import dev.keyfailover.servlet.StatusServlet;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One application (context {@code /app}) of several KeyFailoverServlet routes, each at
 * {@code /<name>/*} and started in the order added (as web.xml's {@code load-on-startup} would), with
 * servlets of a test's own beside them (an upstream on the same server) and context attributes set
 * before any route starts; on an embedded Jetty 12 on 127.0.0.1 and a random port. For the tests of
 * what routes of one application do together: fallbacks, same-server base URLs, budgets.
 */
public final class AppServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private AppServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>/app/<path>}, e.g. {@code uri("openai/v1/chat/completions")}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + "/app/" + path);
    }

    /** Stops the server, its connections closed first, never hanging the build ({@link JettyStop}). */
    @Override
    public void close() throws Exception {
        JettyStop.stop(server, connector);
    }

    public static final class Builder {
        private final Map<String, Map<String, String>> routes = new LinkedHashMap<>();
        private final Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private boolean statusPage;

        private Builder() {
        }

        /** The route {@code name} at {@code /<name>/*} with these init-params; routes start in the order added. */
        public Builder route(String name, Map<String, String> initParams) {
            routes.put(name, Map.copyOf(initParams));
            return this;
        }

        /** A servlet of the test's own at {@code pathSpec}, e.g. an upstream at {@code /upstream/*}. */
        public Builder servlet(String pathSpec, HttpServlet servlet) {
            servlets.put(pathSpec, servlet);
            return this;
        }

        /** The status page at {@code /status} and {@code /status.json}, readable by anyone ({@link ProxyServer#STATUS_PARAMS}). */
        public Builder statusPage() {
            statusPage = true;
            return this;
        }

        /** A servlet-context attribute, set before the routes start (e.g. {@code RouteLifecycle.CLOCK_ATTRIBUTE}). */
        public Builder attribute(String name, Object value) {
            attributes.put(name, value);
            return this;
        }

        public AppServer start() throws Exception {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/app");
            attributes.forEach(context::setAttribute);
            int order = 0;
            for (Map.Entry<String, Map<String, String>> route : routes.entrySet()) {
                ServletHolder holder = new ServletHolder(route.getKey(), KeyFailoverServlet.class);
                holder.setInitParameters(route.getValue());
                holder.setInitOrder(++order);
                context.addServlet(holder, "/" + route.getKey() + "/*");
            }
            if (statusPage) {
                ServletHolder status = new ServletHolder("status", StatusServlet.class);
                status.setInitParameters(ProxyServer.STATUS_PARAMS);
                status.setInitOrder(++order);
                context.addServlet(status, "/status");
                context.addServlet(status, "/status.json");
            }
            servlets.forEach((pathSpec, servlet) -> context.addServlet(new ServletHolder(servlet), pathSpec));
            server.setHandler(context);
            server.start();
            return new AppServer(server, connector);
        }
    }
}
