package dev.keyfailover.chain;

import java.io.IOException;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * Times each upstream attempt, innermost of our handlers: from handing the request on (connection
 * lease, connect and send included) to the response head, or to the transport failure. The time
 * goes into the {@link Exchange}; the failover reports it with its verdict on the attempt, while
 * an attempt without a pool key (BYOK, a route without a pool) is reported here, judged by nothing.
 */
final class UpstreamTimingExec implements ExecChainHandler {

    private final FailoverEvents events;
    private final boolean pooled;

    /** @param pooled whether the route has a pool (then its non-BYOK attempts are the failover's to report) */
    UpstreamTimingExec(FailoverEvents events, boolean pooled) {
        this.events = events;
        this.pooled = pooled;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = Exchange.of(scope.clientContext);
        boolean direct = !pooled || exchange.byok();
        long start = System.nanoTime();
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
        } catch (IOException | HttpException | RuntimeException e) {
            long elapsed = System.nanoTime() - start;
            exchange.upstreamNanos(elapsed);
            if (direct) {
                events.directAttempt(-1, elapsed);
            }
            throw e;
        }
        long elapsed = System.nanoTime() - start;
        exchange.upstreamNanos(elapsed);
        if (direct) {
            events.directAttempt(response.getCode(), elapsed);
        }
        return response;
    }
}
