package dev.keyfailover.chain;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.util.Timeout;

/**
 * The head deadline of one attempt of a request with a budget (behaviour.md §18, The request's
 * budget): the attempt waits for its answer's head no longer than what is left of the budget when
 * that is shorter than the route's {@code responseTimeout}. HttpClient tells the connection the
 * response timeout of the context's {@link RequestConfig} before each exchange
 * ({@code InternalExecRuntime.execute}), so the attempt runs with a copy holding the shorter one,
 * and the context gets its own back after it, on every exit. The connection's watch then ends the
 * wait ({@link MaskedConnections}), and {@link #ranOut} tells that timeout from the route's own.
 * The connection knows a head timeout set here by its being shorter than the route's
 * ({@link AnswerTimeouts#setByBudget}), and lets its deadline bound a held-back first byte too.
 */
final class AttemptDeadline {

    private static final AttemptDeadline ROUTES = new AttemptDeadline(null);

    /** The shortened head timeout; {@code null} when the route's own holds. */
    private final Timeout budgetLeft;

    private AttemptDeadline(Timeout budgetLeft) {
        this.budgetLeft = budgetLeft;
    }

    /**
     * The deadline of an attempt starting {@code now}.
     *
     * @param deadline when the request's budget runs out, if it has one
     * @param context the exchange's, whose request config holds the route's {@code responseTimeout}
     */
    static AttemptDeadline of(Optional<Instant> deadline, Instant now, HttpClientContext context) {
        if (deadline.isEmpty()) {
            return ROUTES;
        }
        Timeout routeTimeout = context.getRequestConfigOrDefault().getResponseTimeout();
        // Rounded up, and at least 1 ms: a timeout of 0 would mean none at all.
        long left = Math.max(1, (Duration.between(now, deadline.get()).toNanos() + 999_999) / 1_000_000);
        boolean routeShorter = routeTimeout != null && routeTimeout.isEnabled() && routeTimeout.toMilliseconds() <= left;
        return routeShorter ? ROUTES : new AttemptDeadline(Timeout.ofMilliseconds(left));
    }

    /** {@code chain.proceed} under this deadline; the context's request config is restored after it. */
    ClassicHttpResponse proceed(ExecChain chain, ClassicHttpRequest request, ExecChain.Scope scope)
            throws IOException, HttpException {
        if (budgetLeft == null) {
            return chain.proceed(request, scope);
        }
        HttpClientContext context = scope.clientContext;
        RequestConfig own = context.getRequestConfig();
        context.setRequestConfig(RequestConfig.copy(context.getRequestConfigOrDefault())
                .setResponseTimeout(budgetLeft).build());
        try {
            return chain.proceed(request, scope);
        } finally {
            context.setRequestConfig(own);
        }
    }

    /**
     * Whether the attempt failed because the budget's deadline passed before its answer started:
     * its head did not come in time (or, held back, its first byte, which the connection reports
     * as the head's timeout), and the head's timeout was the budget's.
     */
    boolean ranOut(Throwable failure) {
        return budgetLeft != null && failure instanceof UpstreamTimeoutException timeout
                && timeout.waitingFor() == UpstreamTimeoutException.Wait.HEAD;
    }
}
