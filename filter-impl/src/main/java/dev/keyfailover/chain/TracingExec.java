package dev.keyfailover.chain;

import java.io.IOException;

import dev.keyfailover.api.Provider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;

/**
 * The span of a request (behaviour.md §17), {@code keyfailover failover}, INTERNAL: started once
 * the request's key source is decided and its body buffered, current while the attempts run (they
 * are its children), ended by {@link RequestSpans#answerDone} when the answer has passed, or here
 * when the chain failed. Its parent is the span current on this thread (the Java agent's server
 * span), else the client's {@code traceparent}. A request another route serves as its fallback
 * gets no span of its own: its attempts join the first route's request.
 */
final class TracingExec implements ExecChainHandler {

    static final String SPAN_NAME = "keyfailover failover";

    private static final TextMapGetter<ClassicHttpRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ClassicHttpRequest carrier) {
            return java.util.Arrays.stream(carrier.getHeaders()).map(Header::getName).toList();
        }

        @Override
        public String get(ClassicHttpRequest carrier, String key) {
            Header header = carrier == null ? null : carrier.getFirstHeader(key);
            return header == null ? null : header.getValue();
        }
    };

    private final Provider provider;
    private final Tracing tracing;

    TracingExec(Provider provider, Tracing tracing) {
        this.provider = provider;
        this.tracing = tracing;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        RequestSpans inherited = RequestSpans.inherited();
        if (inherited != null) {
            inherited.attach(scope.clientContext);
            return chain.proceed(request, scope);
        }
        Context current = Context.current();
        Context parent = Span.fromContext(current).getSpanContext().isValid() ? current
                : W3CTraceContextPropagator.getInstance().extract(current, request, HEADERS);
        Span span = tracing.tracer().spanBuilder(SPAN_NAME).setSpanKind(SpanKind.INTERNAL).setParent(parent)
                .startSpan();
        if (!span.isRecording() && !tracing.propagates()) {
            // No SDK (the API's no-op) and nothing to send upstream: nothing more to do or keep.
            return chain.proceed(request, scope);
        }
        Exchange exchange = Exchange.of(scope.clientContext);
        if (span.isRecording()) {
            describe(span, request, exchange, Caller.of(scope.clientContext));
        }
        RequestSpans spans = RequestSpans.start(scope.clientContext, span, parent);
        try (Scope ignored = spans.context().makeCurrent()) {
            ClassicHttpResponse answer = chain.proceed(request, scope);
            spans.answered(answer.getCode());
            return answer;
        } catch (IOException | HttpException | RuntimeException e) {
            spans.failed(e, exchange);
            throw e;
        }
    }

    private void describe(Span span, ClassicHttpRequest request, Exchange exchange, Caller caller) {
        span.setAttribute(TraceAttributes.ROUTE, provider.name());
        span.setAttribute(TraceAttributes.GEN_AI_PROVIDER, tracing.genAiProvider());
        span.setAttribute(TraceAttributes.KEY_SOURCE, TraceAttributes.keySource(exchange.keySource()));
        if (exchange.pooled()) {
            String model = exchange.model(request, provider.modelSource());
            if (model != null) {
                span.setAttribute(TraceAttributes.GEN_AI_MODEL, model);
            }
        }
        caller.client().ifPresent(name -> span.setAttribute(TraceAttributes.CLIENT, name));
    }
}
