package dev.keyfailover.servlet;

import java.io.IOException;

import dev.keyfailover.api.Provider;
import dev.keyfailover.chain.HeaderPolicy;
import dev.keyfailover.config.ParameterSource;
import dev.keyfailover.config.RouteConfig;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The proxy as a filter, for teams who put it in front of an existing application: requests
 * under {@code pathPrefix} (init-param, e.g. {@code /openai}, relative to the context) are
 * forwarded exactly as {@link KeyFailoverServlet} does; all others go down the filter chain.
 */
public class KeyFailoverFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private transient ProxyRoute route;
    private String pathPrefix;

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        String where = "filter '" + config.getFilterName() + "'";
        String prefix = config.getInitParameter("pathPrefix");
        if (prefix == null || !prefix.trim().startsWith("/") || prefix.trim().length() < 2) {
            throw new ServletException(where + ": parameter 'pathPrefix' is required and must start with '/', "
                    + "e.g. /openai");
        }
        pathPrefix = prefix.trim().endsWith("/") ? prefix.trim().substring(0, prefix.trim().length() - 1) : prefix.trim();
        route = RouteLifecycle.start(where, config.getFilterName(),
                new ParameterSource(config::getInitParameter, config.getInitParameterNames(),
                        config.getServletContext()::getInitParameter, config.getServletContext().getInitParameterNames(),
                        ParameterSource.origins(
                                config.getServletContext().getAttribute(ParameterSource.ORIGINS_ATTRIBUTE))),
                config.getServletContext(), this::headerPolicy);
    }

    /**
     * The route's header policy (behaviour.md §5, §8). Override to change a rule: return a subclass
     * of {@link HeaderPolicy} that overrides the rule's method.
     */
    protected HeaderPolicy headerPolicy(Provider provider, RouteConfig config) {
        return HeaderPolicyFactory.DEFAULT.create(provider, config);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(pathPrefix) || path.startsWith(pathPrefix + "/")) {
            route.forward(request, response, RawPaths.after(request, request.getContextPath() + pathPrefix, null));
        } else {
            chain.doFilter(request, response);
        }
    }

    /** The route, once started. */
    public ProxyRoute route() {
        return route;
    }

    @Override
    public void destroy() {
        RouteLifecycle.stop(route, getServletContext());
        route = null;
    }
}
