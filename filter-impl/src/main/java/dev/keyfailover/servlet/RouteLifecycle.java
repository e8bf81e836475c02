package dev.keyfailover.servlet;

import java.io.IOException;
import java.time.Clock;

import dev.keyfailover.config.ConfigException;
import dev.keyfailover.config.ParameterSource;
import dev.keyfailover.config.Placeholders;
import dev.keyfailover.config.RouteConfig;
import dev.keyfailover.pool.KeyStateStore;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starting and stopping a route from a servlet's or filter's init-params; shared by both adapters. */
public final class RouteLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RouteLifecycle.class);

    /**
     * A servlet-context attribute holding a {@link Clock} that replaces the system clock for every
     * route of the context (for tests that move time instead of waiting).
     */
    public static final String CLOCK_ATTRIBUTE = "dev.keyfailover.clock";

    private RouteLifecycle() {
    }

    /**
     * @throws ServletException naming the route, the parameter and the problem. A plain
     *     {@code ServletException}, not an {@code UnavailableException}: containers such as Jetty
     *     then fail the whole deployment instead of leaving the route quietly unavailable.
     */
    static ProxyRoute start(String where, String name, ParameterSource parameters, ServletContext context)
            throws ServletException {
        try {
            RouteConfig config = RouteConfig.parse(where, name, parameters, Placeholders.system());
            Object clock = context.getAttribute(CLOCK_ATTRIBUTE);
            KeyStateStore store = StateStores.open(where, config.stateStore(), context);
            ProxyRoute route;
            try {
                route = ProxyRoute.create(where, config, clock instanceof Clock ? (Clock) clock : Clock.systemUTC(),
                        store);
            } catch (ConfigException | RuntimeException e) {
                store.close();
                throw e;
            }
            RouteRegistry.of(context).add(route);
            return route;
        } catch (ConfigException e) {
            LOG.error("keyfailover configuration error: {}", e.getMessage());
            throw new ServletException(e.getMessage());
        }
    }

    static void stop(ProxyRoute route, ServletContext context) {
        if (route == null) {
            return;
        }
        RouteRegistry.of(context).remove(route);
        try {
            route.close();
        } catch (IOException e) {
            LOG.warn("closing the client of provider '{}': {}", route.provider().name(), e.toString());
        }
    }
}
