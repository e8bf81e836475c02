package dev.keyfailover.example;

import java.util.Map;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example's tracing (behaviour.md §17): when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set (or a
 * context-param of that name, for tests), an OpenTelemetry SDK configured by the SDK's
 * autoconfigure from the usual {@code OTEL_*} variables, exporting traces over OTLP, is registered
 * as the global OpenTelemetry once, before the routes start (they look it up at their first
 * request). Otherwise nothing: the routes trace through the API's no-op.
 */
public class OtlpTracing implements ServletContextListener {

    static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static final Logger LOG = LoggerFactory.getLogger(OtlpTracing.class);

    private OpenTelemetrySdk sdk;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        String endpoint = ExampleEnvironment.value(event.getServletContext(), ENDPOINT);
        if (endpoint == null) {
            return;
        }
        try {
            // Defaults only: every OTEL_* variable or otel.* system property the deployment sets wins.
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    // http/protobuf: the WAR's JDK sender speaks no gRPC (the SDK's own default).
                    .addPropertiesSupplier(() -> Map.of("otel.exporter.otlp.endpoint", endpoint,
                            "otel.exporter.otlp.protocol", "http/protobuf", "otel.service.name", "keyfailover",
                            "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
                    .setResultAsGlobal()
                    .build()
                    .getOpenTelemetrySdk();
            LOG.info("tracing: spans exported over OTLP to {}", endpoint);
        } catch (RuntimeException e) {
            // E.g. the Java agent, or another application of this class loader, set the global one first.
            LOG.warn("tracing: no OTLP export, the OpenTelemetry SDK could not start: {}{}", e,
                    e.getCause() == null ? "" : " (" + e.getCause() + ")");
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (sdk != null) {
            sdk.close();
        }
    }
}
