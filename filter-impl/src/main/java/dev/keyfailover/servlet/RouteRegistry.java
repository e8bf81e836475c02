package dev.keyfailover.servlet;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.keyfailover.chain.FallbackTarget;
import dev.keyfailover.chain.FallbackTargets;
import dev.keyfailover.config.ConfigException;
import dev.keyfailover.config.RouteConfig;
import dev.keyfailover.metrics.UsageLedger;
import dev.keyfailover.settings.FallbackSettings;
import jakarta.servlet.ServletContext;

/**
 * The routes of one web application, for the status page and for the routes that fall back to
 * one another (behaviour.md §18). Kept as a context attribute.
 */
public final class RouteRegistry implements FallbackTargets {

    static final String ATTRIBUTE = RouteRegistry.class.getName();

    private final List<ProxyRoute> routes = new CopyOnWriteArrayList<>();

    /** The registry of a context, created on first use. */
    public static RouteRegistry of(ServletContext context) {
        synchronized (context) {
            Object existing = context.getAttribute(ATTRIBUTE);
            if (existing instanceof RouteRegistry) {
                return (RouteRegistry) existing;
            }
            RouteRegistry registry = new RouteRegistry();
            context.setAttribute(ATTRIBUTE, registry);
            return registry;
        }
    }

    void add(ProxyRoute route) {
        routes.add(route);
    }

    void remove(ProxyRoute route) {
        routes.remove(route);
    }

    @Override
    public Optional<FallbackTarget> find(String name) {
        for (ProxyRoute route : routes) {
            if (route.provider().name().equals(name)) {
                return Optional.of(route.asFallbackTarget());
            }
        }
        return Optional.empty();
    }

    /** The usage ledger of the route of that name, if it runs now (it counts what its keys serve as a fallback). */
    Optional<UsageLedger> usage(String name) {
        for (ProxyRoute route : routes) {
            if (route.provider().name().equals(name)) {
                return Optional.of(route.usage());
            }
        }
        return Optional.empty();
    }

    /**
     * A fallback route speaks the same API as the route that names it: checked both ways as each
     * route starts, since either may start first.
     *
     * @throws ConfigException naming both routes and their APIs
     */
    void checkFallbacks(String where, RouteConfig starting) throws ConfigException {
        FallbackSettings mine = starting.fallback();
        for (ProxyRoute route : routes) {
            String name = route.provider().name();
            FallbackSettings theirs = route.fallbackSettings();
            if (theirs.apiFamily().equals(mine.apiFamily())) {
                continue;
            }
            if (mine.routes().contains(name)) {
                throw mismatch(where, starting.providerName(), mine, name, theirs);
            }
            if (theirs.routes().contains(starting.providerName())) {
                throw mismatch(where, name, theirs, starting.providerName(), mine);
            }
        }
    }

    private static ConfigException mismatch(String where, String namer, FallbackSettings namers, String named,
                                            FallbackSettings nameds) {
        return new ConfigException(where + ": route '" + namer + "' names '" + named + "' in parameter 'fallback', "
                + "but '" + namer + "' speaks the " + namers.apiFamily() + " API and '" + named + "' the "
                + nameds.apiFamily() + " API; a fallback route must speak the same API");
    }

    /** The routes in the order they started. */
    public List<ProxyRoute> routes() {
        return List.copyOf(routes);
    }
}
