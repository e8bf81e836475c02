package dev.keyfailover.bench.pool;

import java.util.Map;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** What the in-process pool benchmarks share: a servlet on embedded Jetty on loopback, and their options. */
final class LocalServers {

    private LocalServers() {
    }

    /** One servlet at {@code mapping} on 127.0.0.1 and a free port, with these servlet-context attributes. */
    static Server server(ServletHolder holder, String mapping, Map<String, Object> attributes) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        attributes.forEach(context::setAttribute);
        context.addServlet(holder, mapping);
        server.setHandler(context);
        server.start();
        return server;
    }

    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    static int intOption(String[] args, String prefix, int otherwise) {
        String value = stringOption(args, prefix, null);
        return value == null ? otherwise : Integer.parseInt(value);
    }

    static String stringOption(String[] args, String prefix, String otherwise) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return otherwise;
    }
}
