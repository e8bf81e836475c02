package dev.keyfailover.chain;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

import dev.keyfailover.api.Provider;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.settings.BodyLimits;
import dev.keyfailover.settings.RetrySettings;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * What chain tests vary about a route: {@code byok} and the body limits; the rest of the header
 * policy at its defaults.
 */
record FailoverSettings(boolean byokAllowed, BodyLimits bodyLimits) {

    static FailoverSettings defaults() {
        return new FailoverSettings(true, BodyLimits.defaults());
    }

    HeaderPolicy headerPolicy(Provider provider) {
        return new HeaderPolicy(provider, byokAllowed, List.of(), provider.accountHeaders(), false);
    }

    /** Credentials, body and failover handlers as one, in chain order, for tests that mock the rest of the chain. */
    ExecChainHandler failoverHandlers(Provider provider, KeyPool pool, Clock clock) {
        return failoverHandlers(provider, pool, RetrySettings.none(), clock);
    }

    /** As above, with these retries and the full backoff as each retry's wait (jitter 1). */
    ExecChainHandler failoverHandlers(Provider provider, KeyPool pool, RetrySettings retries, Clock clock) {
        List<ExecChainHandler> handlers = List.of(
                new ClientCredentialsExec(provider, headerPolicy(provider), pool != null, ClientAccess.open(), Budgets.NONE,
                        clock, new ThrottledLines()),
                new ReplayableBodyExec(bodyLimits, provider, new ThrottledLines().providerFaults(clock, provider.name())),
                new KeyFailoverExec(provider, pool,
                        new AttemptBounds(retries, () -> 1.0), clock,
                        new ThrottledLines(), FailoverEvents.NONE));
        return (request, scope, chain) -> proceed(handlers, 0, request, scope, chain);
    }

    private static ClassicHttpResponse proceed(List<ExecChainHandler> handlers, int index, ClassicHttpRequest request,
                                               ExecChain.Scope scope, ExecChain rest) throws IOException, HttpException {
        if (index == handlers.size()) {
            return rest.proceed(request, scope);
        }
        return handlers.get(index).execute(request, scope,
                (next, nextScope) -> proceed(handlers, index + 1, next, nextScope, rest));
    }
}
