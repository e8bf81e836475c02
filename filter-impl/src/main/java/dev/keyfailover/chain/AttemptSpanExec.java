package dev.keyfailover.chain;

import java.io.IOException;

import dev.keyfailover.api.Provider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * The span of each upstream attempt (behaviour.md §17), CLIENT, a child of the request's: started
 * as the attempt leaves the failover (its number, route, model), given its status here and its key
 * hint and verdict when the failover reports it ({@link RequestSpans#reported}). With
 * {@code propagateTraceContext=true} the attempt carries its span's {@code traceparent} upstream,
 * in place of any the client sent; its other trace headers, and all of them with {@code false}, are
 * exactly those the client sent ({@link ClientTraceHeaders}), whatever the Java agent set. No span
 * for a request that is not traced.
 */
final class AttemptSpanExec implements ExecChainHandler {

    static final String SPAN_NAME = "keyfailover attempt";

    private static final TextMapSetter<ClassicHttpRequest> HEADERS = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.setHeader(key, value);
        }
    };

    private final Provider provider;
    private final Tracing tracing;

    AttemptSpanExec(Provider provider, Tracing tracing) {
        this.provider = provider;
        this.tracing = tracing;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        // The Java agent may have set trace headers of its own before the chain ran (§17): the client's go.
        ClassicHttpRequest asSent = ClientTraceHeaders.asTheClientSent(request, scope.clientContext,
                tracing.traceHeaders());
        ExecChain.Scope asSentScope = asSent == request ? scope : Scopes.of(scope, asSent);
        RequestSpans spans = RequestSpans.of(scope.clientContext);
        if (spans == null) {
            return chain.proceed(asSent, asSentScope);
        }
        int number = spans.nextAttempt();
        Span attempt = tracing.tracer().spanBuilder(SPAN_NAME).setSpanKind(SpanKind.CLIENT)
                .setParent(spans.context()).startSpan();
        spans.attemptStarted(attempt);
        if (attempt.isRecording()) {
            Exchange exchange = Exchange.of(scope.clientContext);
            attempt.setAttribute(TraceAttributes.ATTEMPT, number);
            attempt.setAttribute(TraceAttributes.ROUTE, provider.name());
            attempt.setAttribute(TraceAttributes.GEN_AI_PROVIDER, tracing.genAiProvider());
            attempt.setAttribute(TraceAttributes.METHOD, request.getMethod());
            String model = exchange.pooled() ? exchange.model(request, provider.modelSource()) : null;
            if (model != null) {
                attempt.setAttribute(TraceAttributes.GEN_AI_MODEL, model);
            }
        }
        ClassicHttpRequest sent = asSent;
        ExecChain.Scope sentScope = asSentScope;
        if (tracing.propagates()) {
            sent = ClassicRequestBuilder.copy(asSent).build();
            W3CTraceContextPropagator.getInstance().inject(spans.context().with(attempt), sent, HEADERS);
            sentScope = Scopes.of(scope, sent);
        }
        try {
            ClassicHttpResponse answer = chain.proceed(sent, sentScope);
            if (attempt.isRecording()) {
                attempt.setAttribute(TraceAttributes.STATUS, answer.getCode());
                if (answer.getCode() >= 400) {
                    // The HTTP conventions' rule for a client span; the verdict says what it meant for the key.
                    attempt.setStatus(StatusCode.ERROR);
                }
            }
            return answer;
        } catch (IOException | HttpException | RuntimeException e) {
            spans.attemptFailed(e);
            throw e;
        }
    }
}
