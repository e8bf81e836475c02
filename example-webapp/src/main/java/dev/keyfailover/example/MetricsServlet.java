package dev.keyfailover.example;

import java.io.IOException;

import dev.keyfailover.servlet.RouteLifecycle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /metrics}: the meters of this application in Prometheus' text format, from the
 * registry {@link PrometheusMetrics} made. Shows masked key hints only; protect it like
 * {@code /status} (web.xml shows how).
 */
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Prometheus' text exposition format, what {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object registry = getServletContext().getAttribute(RouteLifecycle.METER_REGISTRY_ATTRIBUTE);
        response.setHeader("Cache-Control", "no-store");
        if (!(registry instanceof PrometheusMeterRegistry)) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "no Prometheus registry in this application");
            return;
        }
        response.setContentType(CONTENT_TYPE);
        ((PrometheusMeterRegistry) registry).scrape(response.getOutputStream());
    }
}
