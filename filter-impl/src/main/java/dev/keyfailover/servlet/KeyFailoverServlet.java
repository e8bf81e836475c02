package dev.keyfailover.servlet;

import java.io.IOException;

import dev.keyfailover.api.Provider;
import dev.keyfailover.chain.HeaderPolicy;
import dev.keyfailover.config.ParameterSource;
import dev.keyfailover.config.RouteConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Maps a route prefix (the servlet's mapping, e.g. {@code /openai/*}) to one provider: every
 * request below it is forwarded to the provider's base URL with key failover. Configured through
 * init-params (docs/configuration.md); an invalid value stops it from starting. Holds no lock
 * while streaming, so it may be declared {@code asyncSupported} and run on virtual threads.
 */
public class KeyFailoverServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient ProxyRoute route;

    @Override
    public void init() throws ServletException {
        route = RouteLifecycle.start("servlet '" + getServletName() + "'", getServletName(),
                new ParameterSource(this::getInitParameter, getInitParameterNames(),
                        getServletContext()::getInitParameter, getServletContext().getInitParameterNames(),
                        ParameterSource.origins(getServletContext().getAttribute(ParameterSource.ORIGINS_ATTRIBUTE))),
                getServletContext(), this::headerPolicy);
    }

    /**
     * The route's header policy (behaviour.md §5, §8). Override to change a rule: return a subclass
     * of {@link HeaderPolicy} that overrides the rule's method.
     */
    protected HeaderPolicy headerPolicy(Provider provider, RouteConfig config) {
        return HeaderPolicyFactory.DEFAULT.create(provider, config);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        route.forward(request, response, rawPathAfterPrefix(request));
    }

    /** The encoded path after context and servlet path, as the client sent it. */
    static String rawPathAfterPrefix(HttpServletRequest request) {
        return RawPaths.after(request, request.getContextPath() + request.getServletPath(), request.getPathInfo());
    }

    /** The route, once started: for tests and the status page. */
    public ProxyRoute route() {
        return route;
    }

    @Override
    public void destroy() {
        RouteLifecycle.stop(route, getServletContext());
        route = null;
    }
}
