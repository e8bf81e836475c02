package dev.keyfailover.chain;

import java.io.IOException;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * Times each upstream attempt, innermost of our handlers: from handing the request on (connection
 * lease, connect and send included) to the response head (with {@code firstByteTimeout}, to a
 * streamed body's first byte, read ahead with the head), or to the transport failure. The time
 * goes into the {@link Exchange}; {@link KeyFailoverExec} reports it with the attempt.
 */
final class UpstreamTimingExec implements ExecChainHandler {

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = Exchange.of(scope.clientContext);
        long start = System.nanoTime();
        try {
            return chain.proceed(request, scope);
        } finally {
            exchange.upstreamNanos(System.nanoTime() - start);
        }
    }
}
