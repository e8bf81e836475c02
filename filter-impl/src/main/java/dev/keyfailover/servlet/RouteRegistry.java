package dev.keyfailover.servlet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.ServletContext;

/** The routes of one web application, for the status page. Kept as a context attribute. */
public final class RouteRegistry {

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

    /** The routes in the order they started. */
    public List<ProxyRoute> routes() {
        return List.copyOf(routes);
    }
}
