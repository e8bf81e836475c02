package dev.keyfailover.example;

import dev.keyfailover.servlet.RouteLifecycle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * The example's choice of meter registry: Prometheus. One registry per deployment, in the context
 * attribute the proxy routes register their meters on ({@link RouteLifecycle#METER_REGISTRY_ATTRIBUTE});
 * {@link MetricsServlet} serves it at {@code /metrics}. Listeners run before the routes start.
 */
public class PrometheusMetrics implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        event.getServletContext().setAttribute(RouteLifecycle.METER_REGISTRY_ATTRIBUTE,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Object registry = event.getServletContext().getAttribute(RouteLifecycle.METER_REGISTRY_ATTRIBUTE);
        event.getServletContext().removeAttribute(RouteLifecycle.METER_REGISTRY_ATTRIBUTE);
        if (registry instanceof PrometheusMeterRegistry) {
            ((PrometheusMeterRegistry) registry).close();
        }
    }
}
