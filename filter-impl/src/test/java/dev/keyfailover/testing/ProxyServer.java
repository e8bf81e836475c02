package dev.keyfailover.testing;

import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;

import dev.keyfailover.servlet.KeyFailoverFilter;
import dev.keyfailover.servlet.KeyFailoverServlet;
import dev.keyfailover.servlet.ProxyRoute;
import dev.keyfailover.servlet.RouteLifecycle;
import dev.keyfailover.servlet.RouteRegistry;
import dev.keyfailover.servlet.StatusServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintMapping;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.util.security.Credential;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The proxy deployed on an embedded Jetty 12 on 127.0.0.1 and a random port, as a servlet or a filter. */
public final class ProxyServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;
    private final List<String> requestedPaths = new CopyOnWriteArrayList<>();

    private ProxyServer(ServletContextHandler context) throws Exception {
        this(context, false);
    }

    private ProxyServer(ServletContextHandler context, boolean lenient) throws Exception {
        this.server = new Server();
        this.connector = new ServerConnector(server);
        if (lenient) {
            HttpConfiguration http = connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
            http.setUriCompliance(UriCompliance.UNSAFE);
            http.setHttpCompliance(HttpCompliance.LEGACY);
            context.getServletHandler().setDecodeAmbiguousURIs(true);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        this.context = context;
        server.setHandler(context);
        server.setStopTimeout(0);
        server.setRequestLog((request, response) -> requestedPaths.add(request.getHttpURI().getPath()));
        server.start();
    }

    /** KeyFailoverServlet at {@code /openai/*} (context {@code /app}) with these init-params, and the status page. */
    public static ProxyServer servlet(Map<String, String> initParams) throws Exception {
        return servlet(initParams, null);
    }

    /**
     * As {@link #servlet(Map)} on a container that lets through whatever it can parse (ambiguous and
     * encoded paths, legacy header syntax), so that the proxy's own defences are what is tested.
     */
    public static ProxyServer lenientServlet(Map<String, String> initParams) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        ServletHolder proxy = new ServletHolder("openai", KeyFailoverServlet.class);
        proxy.setInitParameters(initParams);
        proxy.setInitOrder(1);
        context.addServlet(proxy, "/openai/*");
        return new ProxyServer(context, true);
    }

    /** As {@link #servlet(Map)}, with the pool's time taken from {@code clock} (e.g. a {@link MutableClock}). */
    public static ProxyServer servlet(Map<String, String> initParams, Clock clock) throws Exception {
        return servlet(initParams, clock, Map.of());
    }

    /** As {@link #servlet(Map, Clock)}, with servlet-context attributes set before the routes start. */
    public static ProxyServer servlet(Map<String, String> initParams, Clock clock, Map<String, Object> attributes)
            throws Exception {
        return servlet(initParams, clock, attributes, STATUS_PARAMS);
    }

    /** The admin token of {@link #servlet(Map)}'s status page (behaviour.md §13). */
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123";
    /** The status page of {@link #servlet(Map)}: readable by anyone, actions with {@link #ADMIN_TOKEN}. */
    public static final Map<String, String> STATUS_PARAMS = Map.of("statusAccess", "public", "adminToken", ADMIN_TOKEN);

    /** As {@link #servlet(Map, Clock, Map)}, with the status servlet's own init-params. */
    public static ProxyServer servlet(Map<String, String> initParams, Clock clock, Map<String, Object> attributes,
                                      Map<String, String> statusParams) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        if (clock != null) {
            context.setAttribute(RouteLifecycle.CLOCK_ATTRIBUTE, clock);
        }
        attributes.forEach(context::setAttribute);
        ServletHolder proxy = new ServletHolder("openai", KeyFailoverServlet.class);
        proxy.setInitParameters(initParams);
        proxy.setInitOrder(1);
        proxy.setAsyncSupported(true);
        context.addServlet(proxy, "/openai/*");
        ServletHolder status = new ServletHolder("status", StatusServlet.class);
        status.setInitParameters(statusParams);
        status.setInitOrder(2);
        context.addServlet(status, "/status");
        context.addServlet(status, "/status.json");
        ServletHolder admin = new ServletHolder("admin", dev.keyfailover.servlet.AdminKeysServlet.class);
        admin.setInitParameters(statusParams);
        admin.setInitOrder(3);
        context.addServlet(admin, "/admin/*");
        return new ProxyServer(context);
    }

    /**
     * The status page alone behind the container's BASIC login (behaviour.md §13): {@code admin} /
     * {@code admin-pw} in role {@code keyfailover-admin}, {@code viewer} / {@code viewer-pw} in role
     * {@code keyfailover-viewer}, {@code nobody} / {@code nobody-pw} in neither; the page asks for a
     * login, and leaves the rest to the servlet.
     */
    public static ProxyServer statusBehindBasicAuth(Map<String, String> initParams, Map<String, String> statusParams)
            throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app", ServletContextHandler.SECURITY);
        ServletHolder proxy = new ServletHolder("openai", KeyFailoverServlet.class);
        proxy.setInitParameters(initParams);
        proxy.setInitOrder(1);
        context.addServlet(proxy, "/openai/*");
        ServletHolder status = new ServletHolder("status", StatusServlet.class);
        status.setInitParameters(statusParams);
        status.setInitOrder(2);
        context.addServlet(status, "/status");
        context.addServlet(status, "/status.json");
        UserStore users = new UserStore();
        users.addUser("admin", Credential.getCredential("admin-pw"), new String[] {"keyfailover-admin"});
        users.addUser("viewer", Credential.getCredential("viewer-pw"), new String[] {"keyfailover-viewer"});
        users.addUser("nobody", Credential.getCredential("nobody-pw"), new String[] {"user"});
        HashLoginService login = new HashLoginService("keyfailover");
        login.setUserStore(users);
        ConstraintMapping page = new ConstraintMapping();
        page.setPathSpec("/status.json");
        page.setConstraint(Constraint.ANY_USER);
        ConstraintSecurityHandler security = (ConstraintSecurityHandler) context.getSecurityHandler();
        security.setLoginService(login);
        security.setAuthenticator(new BasicAuthenticator());
        security.addConstraintMapping(page);
        return new ProxyServer(context);
    }

    /**
     * As {@link #servlet(Map)}, with {@code inFront} filtering every request on its way to the proxy
     * (e.g. to stand in for another container's behaviour).
     */
    public static ProxyServer servletBehind(Filter inFront, Map<String, String> initParams) throws Exception {
        return servletBehind(inFront, initParams, null);
    }

    /** As {@link #servletBehind(Filter, Map)}, with the pool's time taken from {@code clock} ({@code null}: the system's). */
    public static ProxyServer servletBehind(Filter inFront, Map<String, String> initParams, Clock clock)
            throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        if (clock != null) {
            context.setAttribute(RouteLifecycle.CLOCK_ATTRIBUTE, clock);
        }
        context.addFilter(new FilterHolder(inFront), "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder proxy = new ServletHolder("openai", KeyFailoverServlet.class);
        proxy.setInitParameters(initParams);
        proxy.setInitOrder(1);
        context.addServlet(proxy, "/openai/*");
        return new ProxyServer(context);
    }

    /** As {@link #servlet}, behind container BASIC authentication: user {@code alice}, password {@code wonderland}. */
    public static ProxyServer servletBehindBasicAuth(Map<String, String> initParams) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app", ServletContextHandler.SECURITY);
        ServletHolder proxy = new ServletHolder("openai", KeyFailoverServlet.class);
        proxy.setInitParameters(initParams);
        proxy.setInitOrder(1);
        context.addServlet(proxy, "/openai/*");
        UserStore users = new UserStore();
        users.addUser("alice", Credential.getCredential("wonderland"), new String[] {"user"});
        HashLoginService login = new HashLoginService("proxy");
        login.setUserStore(users);
        ConstraintMapping everything = new ConstraintMapping();
        everything.setPathSpec("/*");
        everything.setConstraint(Constraint.from("user"));
        ConstraintSecurityHandler security = (ConstraintSecurityHandler) context.getSecurityHandler();
        security.setLoginService(login);
        security.setAuthenticator(new BasicAuthenticator());
        security.addConstraintMapping(everything);
        return new ProxyServer(context);
    }

    /** KeyFailoverFilter on {@code /*} (context {@code /app}) in front of an application servlet that answers "app". */
    public static ProxyServer filter(Map<String, String> initParams) throws Exception {
        return filter(initParams, false);
    }

    /** As {@link #filter(Map)} on a container as lenient as {@link #lenientServlet(Map)}. */
    public static ProxyServer lenientFilter(Map<String, String> initParams) throws Exception {
        return filter(initParams, true);
    }

    private static ProxyServer filter(Map<String, String> initParams, boolean lenient) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        FilterHolder proxy = new FilterHolder(KeyFailoverFilter.class);
        proxy.setName("openai-filter");
        proxy.setInitParameters(initParams);
        context.addFilter(proxy, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
                response.setContentType("text/plain");
                response.getWriter().write("app");
            }
        }), "/*");
        return new ProxyServer(context, lenient);
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The path of every request served so far. */
    public List<String> requestedPaths() {
        return List.copyOf(requestedPaths);
    }

    /** The single route of this server. */
    public ProxyRoute route() {
        return RouteRegistry.of(context.getServletContext()).routes().get(0);
    }

    /** Stops the server, its connections closed first, never hanging the build ({@link JettyStop}). */
    @Override
    public void close() throws Exception {
        JettyStop.stop(server, connector);
    }
}
