package dev.keyfailover.chain;

import java.io.IOException;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.settings.BodyLimits;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * The client's body, read once into a repeatable entity (behaviour.md §4) on every path (pool,
 * BYOK, routes without keys), so that {@code maxBodyBytes} holds everywhere (413) and nothing
 * reaches upstream from a cut upload. A spilled body's file is deleted when the exchange's
 * request side is done.
 */
final class ReplayableBodyExec implements ExecChainHandler {

    private final BodyLimits limits;
    private final Provider provider;
    private final ProviderFaults faults;

    ReplayableBodyExec(BodyLimits limits, Provider provider, ProviderFaults faults) {
        this.limits = limits;
        this.provider = provider;
        this.faults = faults;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        if (request.getEntity() == null) {
            return chain.proceed(request, scope);
        }
        ReplayableBody body;
        try {
            body = ReplayableBody.of(request.getEntity(), limits);
        } catch (BodyTooLargeException e) {
            Exchange.of(scope.clientContext).origin(Exchange.Origin.PROXY);
            return ProxyResponses.failure(provider, faults, ProxyFailure.REQUEST_TOO_LARGE, e.getMessage());
        }
        try (body) {
            Exchange.of(scope.clientContext).body(body);
            // The chain's own copy of the servlet's request (InternalHttpClient makes it): changed in place.
            request.setEntity(body.entity());
            return chain.proceed(request, Scopes.of(scope, request));
        }
    }
}
