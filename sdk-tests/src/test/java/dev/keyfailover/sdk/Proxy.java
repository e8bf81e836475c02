package dev.keyfailover.sdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyfailover.servlet.KeyFailoverServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * {@link KeyFailoverServlet} on an embedded Jetty 12 (ee10) at 127.0.0.1 and a free port, one
 * route at {@code /<provider>/*} configured by init-params as in web.xml: a fresh pool per test.
 * Several routes of one web app (a route and its fallback routes) share one context.
 */
final class Proxy implements AutoCloseable {

    /** A route: its servlet name, served at {@code /<name>/*}, and its init-params ({@code provider} among them). */
    record Route(String name, Map<String, String> parameters) {
    }

    private final Server server;
    private final ServerConnector connector;
    private final AtomicInteger requests;

    private Proxy(Server server, ServerConnector connector, AtomicInteger requests) {
        this.server = server;
        this.connector = connector;
        this.requests = requests;
    }

    /** @param parameters the route's init-params ({@code baseUrl}, {@code keys}, {@code byok}, …) */
    static Proxy start(String provider, Map<String, String> parameters) throws Exception {
        Map<String, String> route = new LinkedHashMap<>();
        route.put("provider", provider);
        route.putAll(parameters);
        return start(List.of(new Route(provider, route)));
    }

    /** The routes in one context, initialised in the order given. */
    static Proxy start(List<Route> routes) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            ServletHolder holder = new ServletHolder(route.name(), KeyFailoverServlet.class);
            holder.setInitParameters(route.parameters());
            holder.setInitOrder(i + 1);
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/" + route.name() + "/*");
        }
        AtomicInteger requests = new AtomicInteger();
        server.setHandler(new Handler.Wrapper(context) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                requests.incrementAndGet();
                return super.handle(request, response, callback);
            }
        });
        server.start();
        return new Proxy(server, connector, requests);
    }

    /** How many requests clients have sent to the proxy so far (an SDK's retries included). */
    int requestsReceived() {
        return requests.get();
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
