package dev.keyfailover.chain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

/**
 * A route's tracing (behaviour.md §17): where its spans go (an {@link OpenTelemetry} found on first
 * use, so that an SDK an application registers as global while starting is the one used), what
 * {@code gen_ai.provider.name} it reports, and whether attempts carry the W3C trace context
 * upstream ({@code propagateTraceContext}). The spans themselves: {@link TracingExec} (the
 * request's), {@link AttemptSpanExec} (each attempt's), {@link RequestSpans} (what one request
 * knows of them).
 */
public final class Tracing {

    /** The instrumentation scope of our spans. */
    static final String SCOPE = "dev.keyfailover";

    /**
     * Our provider types as the GenAI semantic conventions name the systems behind them; a type not
     * listed (a custom provider, {@code generic}) is reported as it is.
     */
    private static final Map<String, String> GEN_AI_NAMES = Map.of(
            "openai", "openai", "anthropic", "anthropic", "gemini", "gcp.gemini", "gemini-openai", "gcp.gemini",
            "azure-openai", "azure.ai.openai", "groq", "groq", "mistral", "mistral_ai", "deepseek", "deepseek",
            "xai", "x_ai");

    /**
     * What the W3C propagators (trace context and baggage) write: what the Java agent sets on an
     * upstream request unless it is configured otherwise.
     */
    private static final List<String> W3C_HEADERS = List.of("traceparent", "tracestate", "baggage");

    /** No tracing handlers in the chain at all: the baseline that measures what the no-op API costs (issue 21). */
    public static final Tracing OFF = new Tracing(OpenTelemetry::noop, "", false);

    private final Supplier<OpenTelemetry> source;
    private final String genAiProvider;
    private final boolean propagate;
    private volatile Tracer tracer;
    private volatile String[] traceHeaders;

    private Tracing(Supplier<OpenTelemetry> source, String providerType, boolean propagate) {
        this.source = Objects.requireNonNull(source, "source");
        String type = providerType == null ? "" : providerType.toLowerCase(Locale.ROOT);
        this.genAiProvider = GEN_AI_NAMES.getOrDefault(type, type);
        this.propagate = propagate;
    }

    /**
     * @param openTelemetry where the spans go; {@code null}: the global one (the API's no-op unless
     *     an SDK was registered or the Java agent is present)
     * @param providerType the route's {@code provider}
     * @param propagate {@code propagateTraceContext}
     */
    public static Tracing of(OpenTelemetry openTelemetry, String providerType, boolean propagate) {
        return new Tracing(openTelemetry == null ? GlobalOpenTelemetry::get : () -> openTelemetry, providerType,
                propagate);
    }

    /** The global OpenTelemetry, no propagation: the default of a chain built without a route's configuration. */
    public static Tracing global(String providerType) {
        return of(null, providerType, false);
    }

    Tracer tracer() {
        Tracer found = tracer;
        if (found == null) {
            // Looked up on first use: GlobalOpenTelemetry.get() fixes the global for good, so not before a request.
            found = source.get().getTracer(SCOPE);
            tracer = found;
        }
        return found;
    }

    /**
     * The names of the headers that carry a trace upstream: the W3C ones and those the route's
     * OpenTelemetry's propagators write (under the agent: its {@code otel.propagators}, e.g.
     * {@code b3}), lower case; found on first use, as the tracer is.
     */
    String[] traceHeaders() {
        String[] found = traceHeaders;
        if (found == null) {
            Set<String> names = new LinkedHashSet<>(W3C_HEADERS);
            for (String field : source.get().getPropagators().getTextMapPropagator().fields()) {
                names.add(field.toLowerCase(Locale.ROOT));
            }
            found = names.toArray(String[]::new);
            traceHeaders = found;
        }
        return found;
    }

    /** {@code gen_ai.provider.name}. */
    String genAiProvider() {
        return genAiProvider;
    }

    /** Whether each attempt sends its span's {@code traceparent} upstream. */
    boolean propagates() {
        return propagate;
    }
}
