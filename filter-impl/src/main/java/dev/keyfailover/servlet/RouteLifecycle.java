package dev.keyfailover.servlet;

import java.io.IOException;
import java.time.Clock;

import dev.keyfailover.chain.ThrottledLines;
import dev.keyfailover.config.ConfigException;
import dev.keyfailover.config.ParameterSource;
import dev.keyfailover.config.Placeholders;
import dev.keyfailover.config.RouteConfig;
import dev.keyfailover.pool.KeyStateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.OpenTelemetry;
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

    /**
     * A servlet-context attribute holding the Micrometer {@code MeterRegistry} the routes of the
     * context register their meters on (behaviour.md §11); without it, Micrometer's global registry, which
     * records nothing until the application adds a registry to it.
     */
    public static final String METER_REGISTRY_ATTRIBUTE = "dev.keyfailover.meterRegistry";

    /**
     * A servlet-context attribute holding the {@code OpenTelemetry} the routes of the context trace
     * through (behaviour.md §17); without it, the global one, looked up at a route's first request
     * (the API's no-op unless an SDK was registered as global or the Java agent is present).
     */
    public static final String OPEN_TELEMETRY_ATTRIBUTE = "dev.keyfailover.openTelemetry";

    private RouteLifecycle() {
    }

    /**
     * @throws ServletException naming the route, the parameter and the problem. A plain
     *     {@code ServletException}, not an {@code UnavailableException}: containers such as Jetty
     *     then fail the whole deployment instead of leaving the route quietly unavailable.
     */
    static ProxyRoute start(String where, String name, ParameterSource parameters, ServletContext context,
                            HeaderPolicyFactory headerPolicies) throws ServletException {
        try {
            RouteConfig config = RouteConfig.parse(where, name, parameters, Placeholders.system());
            RouteRegistry routes = RouteRegistry.of(context);
            routes.checkFallbacks(where, config);
            Object attribute = context.getAttribute(CLOCK_ATTRIBUTE);
            Clock clock = attribute instanceof Clock ? (Clock) attribute : Clock.systemUTC();
            // Every throttled log line of the route (behaviour.md §8), the state store's included.
            ThrottledLines lines = new ThrottledLines();
            KeyStateStore store = StateStores.open(where, config.stateStore(), context,
                    lines.forStore(clock, config.providerName()));
            ProxyRoute route;
            try {
                route = RouteAssembly.assemble(where, config, clock, store, lines, meterRegistry(where, context),
                        headerPolicies, routes, openTelemetry(context));
            } catch (ConfigException | RuntimeException e) {
                store.close();
                throw e;
            }
            routes.add(route);
            return route;
        } catch (ConfigException e) {
            LOG.error("keyfailover configuration error: {}", e.getMessage());
            throw new ServletException(e.getMessage());
        }
    }

    /** The context's registry, else the global one. */
    private static MeterRegistry meterRegistry(String where, ServletContext context) {
        Object registry = context.getAttribute(METER_REGISTRY_ATTRIBUTE);
        if (registry instanceof MeterRegistry) {
            return (MeterRegistry) registry;
        }
        if (registry != null) {
            // E.g. a registry of another class loader's Micrometer: the application's own copy cannot use it.
            LOG.warn("{}: context attribute '{}' is a {}, not a MeterRegistry of this application's Micrometer; "
                    + "the meters go to Micrometer's global registry", where, METER_REGISTRY_ATTRIBUTE,
                    registry.getClass().getName());
        }
        return Metrics.globalRegistry;
    }

    /** The context's OpenTelemetry, {@code null} for the global one. */
    private static OpenTelemetry openTelemetry(ServletContext context) {
        Object openTelemetry = context.getAttribute(OPEN_TELEMETRY_ATTRIBUTE);
        return openTelemetry instanceof OpenTelemetry ? (OpenTelemetry) openTelemetry : null;
    }

    /** Stops a route: off the status page, its client closed, its meters removed. */
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
