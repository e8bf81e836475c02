package dev.keyfailover.example;

import java.io.IOException;

import dev.keyfailover.servlet.AdminAccess;
import dev.keyfailover.servlet.RouteLifecycle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /metrics}: the meters of this application in Prometheus' text format, from the
 * registry {@link PrometheusMetrics} made. Shows masked key hints only; read with the admin
 * token, a role, or {@code statusAccess=public}, as {@code /status} ({@link AdminAccess}).
 */
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Prometheus' text exposition format, what {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private transient AdminAccess access;

    @Override
    public void init() throws ServletException {
        // Reading the metrics needs what reading the status needs (behaviour.md §13).
        access = AdminAccess.of(this);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object registry = getServletContext().getAttribute(RouteLifecycle.METER_REGISTRY_ATTRIBUTE);
        response.setHeader("Cache-Control", "no-store");
        if (!access.mayRead(request, response)) {
            return;
        }
        if (!(registry instanceof PrometheusMeterRegistry)) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "no Prometheus registry in this application");
            return;
        }
        response.setContentType(CONTENT_TYPE);
        ((PrometheusMeterRegistry) registry).scrape(response.getOutputStream());
    }
}
