package dev.keyfailover.chain;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * Client credentials, outermost (behaviour.md §5): takes the client's login to the proxy off the
 * request, decides once which credential the request goes upstream with (the pool's, the
 * client's own, or none on a route without a pool) and records it in the {@link Exchange}, then
 * takes off what that decision says must not travel. Every rule is the route's
 * {@link HeaderPolicy}'s. Works on a copy when there is something to strip: the request it is
 * given is never changed.
 */
final class ClientCredentialsExec implements ExecChainHandler {

    private final HeaderPolicy policy;
    private final boolean pooled;

    /** @param pooled whether the route has a key pool */
    ClientCredentialsExec(HeaderPolicy policy, boolean pooled) {
        this.policy = policy;
        this.pooled = pooled;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = Exchange.of(scope.clientContext);
        ClassicHttpRequest withoutLogin = stripped(request, request, exchange);
        exchange.keySource(policy.isByok(withoutLogin) ? ExchangeView.KeySource.CLIENT
                : pooled ? ExchangeView.KeySource.POOL : ExchangeView.KeySource.NONE);
        ClassicHttpRequest upstream = stripped(request, withoutLogin, exchange);
        return upstream == request ? chain.proceed(request, scope) : chain.proceed(upstream, Scopes.of(scope, upstream));
    }

    /**
     * {@code current} without the headers the policy strips as things stand: itself when there is
     * nothing to strip (the common case costs no copy), else a copy of the original made once.
     */
    private ClassicHttpRequest stripped(ClassicHttpRequest original, ClassicHttpRequest current, Exchange exchange) {
        if (!anyStripped(current, exchange)) {
            return current;
        }
        ClassicHttpRequest copy = current == original ? ClassicRequestBuilder.copy(original).build() : current;
        for (Header header : copy.getHeaders()) {
            if (policy.strips(header.getName().toLowerCase(Locale.ROOT), exchange)) {
                copy.removeHeaders(header.getName());
            }
        }
        return copy;
    }

    private boolean anyStripped(ClassicHttpRequest request, Exchange exchange) {
        for (Iterator<Header> headers = request.headerIterator(); headers.hasNext(); ) {
            if (policy.strips(headers.next().getName().toLowerCase(Locale.ROOT), exchange)) {
                return true;
            }
        }
        return false;
    }
}
