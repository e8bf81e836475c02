package dev.keyfailover.chain;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
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
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

/**
 * The waits of one attempt of a request with a budget (behaviour.md §18, The request's budget):
 * for a pooled connection ({@code connectionRequestTimeout}), for connecting ({@code connectTimeout},
 * TLS handshake included) and for the answer's head ({@code responseTimeout}, and a held-back first
 * byte), each ending at the budget's deadline at the latest, where that comes before the route's own
 * timeout for it, however long the waits before it took. Each is reckoned as it starts: the lease
 * from the attempt's start (it is the first wait; HttpClient reads it from the context's
 * {@link RequestConfig}, so the attempt runs with a copy holding the shorter one), the connect by
 * {@link BudgetConnects}, the head and first byte by the connection ({@link MaskedConnections}),
 * both finding this deadline in the context ({@link #in}). It notes which waits the budget's
 * deadline ended, so that {@link #cut} tells those timeouts from the route's own, and
 * which of them waited on the provider.
 */
final class AttemptDeadline {

    private static final AttemptDeadline ROUTES = new AttemptDeadline(null, null, null);
    /** The context attribute under which the attempt in flight keeps its deadline. */
    private static final String ATTRIBUTE = "keyfailover.attempt-deadline";

    private final Instant deadline;
    private final Clock clock;
    /** The shortened lease wait; {@code null} where the route's own holds. */
    private final Timeout lease;
    // Noted as each wait starts, read by cut after the attempt: one thread, the request's.
    private boolean connectCut;
    private boolean headCut;

    private AttemptDeadline(Instant deadline, Clock clock, Timeout lease) {
        this.deadline = deadline;
        this.clock = clock;
        this.lease = lease;
    }

    /**
     * The deadline of an attempt starting now.
     *
     * @param deadline when the request's budget runs out, if it has one
     * @param context the exchange's, whose request config holds the route's {@code connectionRequestTimeout}
     */
    static AttemptDeadline of(Optional<Instant> deadline, Clock clock, HttpClientContext context) {
        if (deadline.isEmpty()) {
            return ROUTES;
        }
        AttemptDeadline attempt = new AttemptDeadline(deadline.get(), clock, null);
        Timeout route = context.getRequestConfigOrDefault().getConnectionRequestTimeout();
        long left = attempt.leftMillis();
        return shorter(left, route) ? new AttemptDeadline(deadline.get(), clock, Timeout.ofMilliseconds(left)) : attempt;
    }

    /** The deadline of the attempt in flight in {@code context}, {@code null} when its request has no budget. */
    static AttemptDeadline in(HttpContext context) {
        return context == null ? null : (AttemptDeadline) context.getAttribute(ATTRIBUTE);
    }

    /** Whether {@code left} ends before {@code route} (a disabled or missing timeout never ends). */
    private static boolean shorter(long left, Timeout route) {
        return route == null || !route.isEnabled() || left < route.toMilliseconds();
    }

    /** What is left of the budget now, in ms: rounded up, and at least 1 (a timeout of 0 would mean none at all). */
    long leftMillis() {
        return Math.max(1, (Duration.between(clock.instant(), deadline).toNanos() + 999_999) / 1_000_000);
    }

    /** The timeout of a connect starting now: the route's, or what is left of the budget where that is shorter. */
    Timeout connectTimeout(Timeout route) {
        long left = leftMillis();
        connectCut = shorter(left, route);
        return connectCut ? Timeout.ofMilliseconds(left) : route;
    }

    /**
     * Whether the deadline has passed, as a connect goes on to a host's next address: it is not
     * tried, and the connect's timeout is the budget's.
     */
    boolean connectPassed() {
        boolean passed = !clock.instant().isBefore(deadline);
        connectCut |= passed;
        return passed;
    }

    /**
     * The wait for a head starting now, in ms: the route's {@code responseTimeout} (0 or less: none),
     * or what is left of the budget where that is shorter.
     */
    long headMillis(long route) {
        long left = leftMillis();
        headCut = route <= 0 || left < route;
        return headCut ? left : route;
    }

    /**
     * The wait for a held-back first byte starting now, in ms: the route's {@code firstByteTimeout},
     * or what is left of the budget where that is shorter (then its expiry is the head's, as the
     * answer has not started).
     */
    long firstByteMillis(long route) {
        long left = leftMillis();
        if (left < route) {
            headCut = true;
            return left;
        }
        return route;
    }

    /** {@code chain.proceed} under this deadline; the context's request config and attribute are restored after it. */
    ClassicHttpResponse proceed(ExecChain chain, ClassicHttpRequest request, ExecChain.Scope scope)
            throws IOException, HttpException {
        if (this == ROUTES) {
            return chain.proceed(request, scope);
        }
        HttpClientContext context = scope.clientContext;
        RequestConfig own = context.getRequestConfig();
        Object outer = context.getAttribute(ATTRIBUTE);
        if (lease != null) {
            context.setRequestConfig(RequestConfig.copy(context.getRequestConfigOrDefault())
                    .setConnectionRequestTimeout(lease).build());
        }
        context.setAttribute(ATTRIBUTE, this);
        try {
            return chain.proceed(request, scope);
        } finally {
            context.setRequestConfig(own);
            context.setAttribute(ATTRIBUTE, outer);
        }
    }

    /**
     * What the budget's deadline cut, when the attempt failed because it passed before its answer
     * started, in a wait it ended: no pooled connection came free (the route's own, {@code POOL});
     * connecting (or its TLS handshake, which reads under the connect timeout: an attempt's only
     * socket timeout that is not the connection's watch) took too long, or its head did not come in
     * time (or, held back, its first byte, which the connection reports as the head's timeout): the
     * provider was waited on ({@code PROVIDER}).
     *
     * @return {@code null} when the failure is not the budget's (the route's own timeout, another failure)
     */
    RequestBudget.Cut cut(Throwable failure) {
        if (failure instanceof UpstreamTimeoutException timeout) {
            return headCut && timeout.waitingFor() == UpstreamTimeoutException.Wait.HEAD
                    ? RequestBudget.Cut.PROVIDER : null;
        }
        if (failure instanceof ConnectionRequestTimeoutException) {
            return lease != null ? RequestBudget.Cut.POOL : null;
        }
        return connectCut && failure instanceof SocketTimeoutException ? RequestBudget.Cut.PROVIDER : null;
    }
}
