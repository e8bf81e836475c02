package dev.keyfailover.chain;

import static dev.keyfailover.chain.TraceAttributes.ATTEMPTS;
import static dev.keyfailover.chain.TraceAttributes.ERROR_TYPE;
import static dev.keyfailover.chain.TraceAttributes.EXHAUSTED;
import static dev.keyfailover.chain.TraceAttributes.INPUT_TOKENS;
import static dev.keyfailover.chain.TraceAttributes.KEY_HINT;
import static dev.keyfailover.chain.TraceAttributes.OUTPUT_TOKENS;
import static dev.keyfailover.chain.TraceAttributes.STATUS;
import static dev.keyfailover.chain.TraceAttributes.TRANSIENT;
import static dev.keyfailover.chain.TraceAttributes.VERDICT;

import java.util.Locale;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The spans of one traced request (behaviour.md §17), kept in its {@link HttpContext} next to the
 * {@link Exchange}: the request's span and the attempt whose span is still open. An attempt's span
 * ends when the failover reports it ({@link #reported}), unless its answer may be the one the client
 * gets: that span, and the request's, end when the answer has passed ({@link #answerDone}), so
 * that the usage read from it can go on both. A fallback route serving the request adds its attempts
 * here too (it finds this object in the OpenTelemetry context, {@link #inherited}).
 */
public final class RequestSpans {

    private static final String ATTRIBUTE = RequestSpans.class.getName();
    private static final ContextKey<RequestSpans> KEY = ContextKey.named(ATTRIBUTE);

    private final Span span;
    private final Context context;
    private int attempts;
    private Span attempt;
    private boolean attemptFailed;
    private boolean ended;

    private RequestSpans(Span span, Context parent) {
        this.span = span;
        this.context = parent.with(span).with(KEY, this);
    }

    /** Starts tracking a request whose span is {@code span}, in {@code http}. */
    static RequestSpans start(HttpContext http, Span span, Context parent) {
        RequestSpans spans = new RequestSpans(span, parent);
        spans.attach(http);
        return spans;
    }

    /** The request's spans, {@code null} when it is not traced. */
    static RequestSpans of(HttpContext http) {
        Object spans = http.getAttribute(ATTRIBUTE);
        return spans instanceof RequestSpans ? (RequestSpans) spans : null;
    }

    /** The spans of the request this thread is serving through another route, {@code null} when none. */
    static RequestSpans inherited() {
        return Context.current().get(KEY);
    }

    void attach(HttpContext http) {
        http.setAttribute(ATTRIBUTE, this);
    }

    /** The request's span in its parent's context, current while the chain runs. */
    Context context() {
        return context;
    }

    /** The next attempt's number, from 1, counted across fallback routes; an attempt still open ends. */
    int nextAttempt() {
        endAttempt();
        return ++attempts;
    }

    void attemptStarted(Span value) {
        attempt = value;
        attemptFailed = false;
    }

    /** The attempt got no answer: its span says of what kind, never with the exception's message. */
    void attemptFailed(Throwable failure) {
        if (attempt != null && attempt.isRecording()) {
            attempt.setAttribute(ERROR_TYPE, failure.getClass().getName());
            attempt.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        }
        attemptFailed = true;
    }

    /** What the failover made of an attempt, reported by {@link KeyFailoverExec}; nothing when not traced. */
    static void reported(HttpContext http, AttemptReport report) {
        RequestSpans spans = of(http);
        if (spans != null && spans.attempt != null) {
            spans.reported(report);
        }
    }

    private void reported(AttemptReport report) {
        Span span = attempt;
        if (span.isRecording()) {
            if (report.pooled()) {
                span.setAttribute(KEY_HINT, report.key().hint());
            }
            if (report.verdict() != null) {
                span.setAttribute(VERDICT, TraceAttributes.verdict(report.verdict().action()));
            }
            if (report.transientStatus()) {
                span.setAttribute(TRANSIENT, true);
            }
            if (report.transportFailed() && !attemptFailed) {
                // The head came, its error body broke off.
                span.setAttribute(ERROR_TYPE, report.failure().name().toLowerCase(Locale.ROOT));
                span.setStatus(StatusCode.ERROR);
            }
        }
        boolean mayServe = !report.transportFailed() && (report.verdict() == null
                || FailoverStrategy.use(report.verdict()) == FailoverStrategy.AnswerUse.DELIVER);
        if (!mayServe) {
            endAttempt();
        }
    }

    /** The chain failed: the request's span says of what kind, and ends. */
    void failed(Throwable failure, Exchange exchange) {
        if (span.isRecording()) {
            span.setAttribute(ERROR_TYPE, failure.getClass().getName());
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        }
        end(exchange, Usage.NONE);
    }

    /**
     * The answer to the request has passed to the client (or broke off): the attempt that served and
     * the request's span end, with the usage read from the answer. Nothing when the request is not
     * traced or its spans ended already.
     */
    public static void answerDone(HttpContext http, Usage usage) {
        RequestSpans spans = of(http);
        if (spans != null) {
            spans.end(Exchange.of(http), usage);
        }
    }

    private void end(Exchange exchange, Usage usage) {
        if (ended) {
            return;
        }
        ended = true;
        boolean upstream = exchange.origin() == Exchange.Origin.UPSTREAM;
        if (attempt != null && upstream && usage.present() && attempt.isRecording()) {
            setUsage(attempt, usage);
        }
        endAttempt();
        if (span.isRecording()) {
            String hint = exchange.servedBy();
            if (hint != null) {
                span.setAttribute(KEY_HINT, hint);
            }
            span.setAttribute(ATTEMPTS, attempts);
            if (exchange.origin() == Exchange.Origin.EXHAUSTION) {
                span.setAttribute(EXHAUSTED, true);
            }
            if (upstream && usage.present()) {
                setUsage(span, usage);
            }
        }
        span.end();
    }

    /** The request's answer head: its status on the request's span (a 5xx is an error). */
    void answered(int status) {
        if (span.isRecording()) {
            span.setAttribute(STATUS, status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
        }
    }

    private static void setUsage(Span span, Usage usage) {
        span.setAttribute(INPUT_TOKENS, usage.input());
        span.setAttribute(OUTPUT_TOKENS, usage.output());
    }

    private void endAttempt() {
        if (attempt != null) {
            attempt.end();
            attempt = null;
        }
    }
}
