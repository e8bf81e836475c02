package dev.keyfailover.chain;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.util.Timeout;

/**
 * The waits of one attempt of a request with a budget (behaviour.md §18, The request's budget):
 * for a pooled connection ({@code connectionRequestTimeout}), for connecting ({@code connectTimeout},
 * TLS handshake included) and for the answer's head ({@code responseTimeout}), each no longer than
 * what is left of the budget when the attempt starts, where that is shorter than the route's own.
 * HttpClient reads all three from the context's {@link RequestConfig} as the attempt goes
 * ({@code InternalExecRuntime}: the lease, the connect, then before each exchange), so the attempt
 * runs with a copy holding the shorter ones, and the context gets its own back after it, on every
 * exit. The pool and the socket end the first two waits, the connection's watch the head's
 * ({@link MaskedConnections}), and {@link #ranOut} tells those timeouts from the route's own. The
 * connection knows a head timeout set here by its being shorter than the route's
 * ({@link AnswerTimeouts#setByBudget}), and lets its deadline bound a held-back first byte too.
 */
final class AttemptDeadline {

    private static final AttemptDeadline ROUTES = new AttemptDeadline(null, null, null);

    /** The shortened waits; {@code null} where the route's own holds. */
    private final Timeout head;
    private final Timeout lease;
    private final Timeout connect;

    private AttemptDeadline(Timeout head, Timeout lease, Timeout connect) {
        this.head = head;
        this.lease = lease;
        this.connect = connect;
    }

    /**
     * The deadline of an attempt starting {@code now}.
     *
     * @param deadline when the request's budget runs out, if it has one
     * @param context the exchange's, whose request config holds the route's {@code responseTimeout} and
     *     {@code connectionRequestTimeout}
     * @param routeConnect the route's {@code connectTimeout} (its connection config's, not the request config's)
     */
    static AttemptDeadline of(Optional<Instant> deadline, Instant now, HttpClientContext context, Timeout routeConnect) {
        if (deadline.isEmpty()) {
            return ROUTES;
        }
        RequestConfig routes = context.getRequestConfigOrDefault();
        // Rounded up, and at least 1 ms: a timeout of 0 would mean none at all.
        long left = Math.max(1, (Duration.between(now, deadline.get()).toNanos() + 999_999) / 1_000_000);
        Timeout budget = Timeout.ofMilliseconds(left);
        Timeout head = shorter(budget, routes.getResponseTimeout());
        Timeout lease = shorter(budget, routes.getConnectionRequestTimeout());
        Timeout connect = shorter(budget, routeConnect);
        return head == null && lease == null && connect == null ? ROUTES : new AttemptDeadline(head, lease, connect);
    }

    /** {@code budget} when it ends before the route's own timeout, else {@code null}. */
    private static Timeout shorter(Timeout budget, Timeout route) {
        boolean routeShorter = route != null && route.isEnabled() && route.toMilliseconds() <= budget.toMilliseconds();
        return routeShorter ? null : budget;
    }

    /** {@code chain.proceed} under this deadline; the context's request config is restored after it. */
    ClassicHttpResponse proceed(ExecChain chain, ClassicHttpRequest request, ExecChain.Scope scope)
            throws IOException, HttpException {
        if (this == ROUTES) {
            return chain.proceed(request, scope);
        }
        HttpClientContext context = scope.clientContext;
        RequestConfig own = context.getRequestConfig();
        context.setRequestConfig(shortened(context.getRequestConfigOrDefault()));
        try {
            return chain.proceed(request, scope);
        } finally {
            context.setRequestConfig(own);
        }
    }

    /**
     * The route's request config with this attempt's shorter waits. The connect timeout is the
     * deprecated per-request one: HttpClient 5.6 still prefers it to the connection config's
     * ({@code PoolingHttpClientConnectionManager.connect}), and has no other per-request lever.
     */
    @SuppressWarnings("deprecation")
    private RequestConfig shortened(RequestConfig routes) {
        RequestConfig.Builder config = RequestConfig.copy(routes);
        if (head != null) {
            config.setResponseTimeout(head);
        }
        if (lease != null) {
            config.setConnectionRequestTimeout(lease);
        }
        if (connect != null) {
            config.setConnectTimeout(connect);
        }
        return config.build();
    }

    /**
     * Whether the attempt failed because the budget's deadline passed before its answer started,
     * in a wait this deadline shortened: no pooled connection came free; connecting (or its TLS
     * handshake, which reads under the connect timeout: an attempt's only socket timeout that is
     * not the connection's watch) took too long; its head did not come in time (or, held back, its
     * first byte, which the connection reports as the head's timeout).
     */
    boolean ranOut(Throwable failure) {
        if (failure instanceof UpstreamTimeoutException timeout) {
            return head != null && timeout.waitingFor() == UpstreamTimeoutException.Wait.HEAD;
        }
        if (failure instanceof ConnectionRequestTimeoutException) {
            return lease != null;
        }
        return connect != null && failure instanceof SocketTimeoutException;
    }
}
