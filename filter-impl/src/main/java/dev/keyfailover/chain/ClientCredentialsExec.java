package dev.keyfailover.chain;

import java.io.IOException;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * Client credentials, outermost (behaviour.md §5): decides once whether the request is BYOK and
 * strips what must not travel upstream, delegating both to the route's {@link HeaderPolicy}.
 * Works on a copy when there is something to strip: the request it is given is never changed.
 */
final class ClientCredentialsExec implements ExecChainHandler {

    private final HeaderPolicy policy;

    ClientCredentialsExec(HeaderPolicy policy) {
        this.policy = policy;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = Exchange.of(scope.clientContext);
        if (!policy.carriesClientCredentials(request, exchange)) {
            // Nothing to strip, so nothing to copy: the common case of a pool request costs nothing here.
            exchange.byok(policy.isByok(request));
            return chain.proceed(request, scope);
        }
        ClassicHttpRequest stripped = ClassicRequestBuilder.copy(request).build();
        exchange.byok(policy.stripClientCredentials(stripped, exchange));
        return chain.proceed(stripped, Scopes.of(scope, stripped));
    }
}
