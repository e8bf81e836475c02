package dev.keyfailover.chain;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.pool.KeyHint;
import dev.keyfailover.settings.ClientToken;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.MDC;

/**
 * Client credentials, outermost (behaviour.md §5, §13): takes the client's login to the proxy off
 * the request; on a route with client tokens, admits the request by its token (its name becomes the
 * {@link Caller}'s client) or refuses it (401, or 429 for an address with too many failed
 * credentials); decides once which credential the request goes upstream with (the pool's, the
 * client's own, or none on a route without a pool) and records it in the {@link Exchange}, then
 * takes off what that decision says must not travel. Every rule is the route's
 * {@link HeaderPolicy}'s. Works on a copy when there is something to strip: the request it is
 * given is never changed.
 */
final class ClientCredentialsExec implements ExecChainHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClientCredentialsExec.class);
    /** The MDC key holding the client's name while its request runs, for log patterns that show it. */
    static final String MDC_CLIENT = "keyfailover.client";

    private final Provider provider;
    /** A provider that throws rendering an answer: logged, throttled (§8). */
    private final ProviderFaults faults;
    private final HeaderPolicy policy;
    private final boolean pooled;
    private final ClientAccess access;
    private final Budgets budgets;
    /**
     * The refusals' line, by why (no key, unknown key, a client of other routes): never by address,
     * so a client spraying tokens from many addresses adds nothing to memory; the line logged names
     * the address of its own request.
     */
    private final LogThrottles refusals;

    /**
     * @param pooled whether the route has a key pool
     * @param access the route's client tokens ({@link ClientAccess#open()}: none)
     * @param budgets the route's client budgets (behaviour.md §16)
     * @param clock the route's clock, for the refusals' log line
     * @param lines the route's throttled lines (the refusals')
     */
    ClientCredentialsExec(Provider provider, HeaderPolicy policy, boolean pooled, ClientAccess access, Budgets budgets,
                          Clock clock, ThrottledLines lines) {
        this.provider = provider;
        this.faults = lines.providerFaults(clock, provider.name());
        this.policy = policy;
        this.pooled = pooled;
        this.access = access;
        this.budgets = budgets;
        this.refusals = lines.throttles(clock, LOG, Level.INFO, provider.name(), "refused a request: ");
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = Exchange.of(scope.clientContext);
        ClassicHttpRequest withoutLogin = stripped(request, request, exchange);
        ExchangeView.KeySource pool = pooled ? ExchangeView.KeySource.POOL : ExchangeView.KeySource.NONE;
        // A fallback route serves a request its first route admitted, without the client's credentials.
        if (!access.tokensRequired() || exchange.servingAsFallback()) {
            exchange.keySource(policy.isByok(withoutLogin) ? ExchangeView.KeySource.CLIENT : pool);
            return proceed(request, withoutLogin, exchange, scope, chain);
        }
        Caller caller = Caller.of(scope.clientContext);
        Optional<Duration> blocked = access.blocked(caller.address());
        if (blocked.isPresent()) {
            long seconds = Math.max(1, (blocked.get().toMillis() + 999) / 1000);
            return refuse(exchange, caller, ProxyFailure.TOO_MANY_AUTH_FAILURES, provider.name()
                    + ": too many invalid API keys from this address; retry after " + seconds + " s", seconds);
        }
        List<String> credentials = provider.clientCredentials(withoutLogin);
        Optional<ClientToken> token = access.find(credentials);
        if (token.isPresent() && access.allowsHere(token.get())) {
            caller.client(token.get().name());
            exchange.keySource(pool);
        } else if (token.isEmpty() && policy.isByok(withoutLogin)) {
            exchange.keySource(ExchangeView.KeySource.CLIENT);
        } else {
            if (!credentials.isEmpty()) {
                access.failed(caller.address());
            }
            String why = token.isPresent() ? "a client of other routes" : credentials.isEmpty() ? "no API key"
                    : "unknown API key";
            long leftOut = refusals.occurred(why);
            if (leftOut != LogThrottle.COUNTED) {
                LOG.info("{}: refused a request from {}: {}{}", provider.name(), caller.address(), token.isPresent()
                        ? "client '" + token.get().name() + "' may not use this route"
                        : credentials.isEmpty() ? "no API key" : "unknown API key " + KeyHint.of(credentials.get(0)),
                        LogThrottle.summary(leftOut));
            }
            return refuse(exchange, caller, ProxyFailure.UNAUTHORIZED, token.isPresent()
                    ? "this API key may not be used on " + provider.name()
                    : credentials.isEmpty() ? "no API key was sent" : "the API key is not valid here", 0);
        }
        if (caller.client().isEmpty()) {
            return proceed(request, withoutLogin, exchange, scope, chain);
        }
        Optional<Instant> reset = budgets.clientSpentUntil(caller.client().get());
        if (reset.isPresent()) {
            return overBudget(exchange, caller, reset.get());
        }
        MDC.put(MDC_CLIENT, caller.client().get());
        try {
            return proceed(request, withoutLogin, exchange, scope, chain);
        } finally {
            MDC.remove(MDC_CLIENT);
        }
    }

    private ClassicHttpResponse proceed(ClassicHttpRequest request, ClassicHttpRequest withoutLogin, Exchange exchange,
                                        ExecChain.Scope scope, ExecChain chain) throws IOException, HttpException {
        ClassicHttpRequest upstream = stripped(request, withoutLogin, exchange);
        return upstream == request ? chain.proceed(request, scope) : chain.proceed(upstream, Scopes.of(scope, upstream));
    }

    /** The proxy's own refusal, in the provider's shape: nothing goes upstream. */
    private ClassicHttpResponse refuse(Exchange exchange, Caller caller, ProxyFailure failure, String message,
                                       long retryAfterSeconds) {
        caller.refuse();
        exchange.origin(Exchange.Origin.PROXY);
        ClassicHttpResponse response = ProxyResponses.failure(provider, faults, failure, message);
        if (retryAfterSeconds > 0) {
            response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        return response;
    }

    /** A client whose budget is spent (§16): refused until its window resets, as a provider answers a rate limit. */
    private ClassicHttpResponse overBudget(Exchange exchange, Caller caller, Instant reset) {
        String client = caller.client().orElseThrow();
        long seconds = Math.max(1, (Duration.between(budgets.now(), reset).toMillis() + 999) / 1000);
        // Once per request, so DEBUG: the crossing itself is logged once (Budgets), each refusal is counted.
        LOG.debug("{}: refused a request of client '{}': its budget is spent until {}", provider.name(), client, reset);
        caller.refuseOverBudget();
        exchange.origin(Exchange.Origin.PROXY);
        ClassicHttpResponse response = ProxyResponses.failure(provider, faults, ProxyFailure.CLIENT_BUDGET_SPENT,
                provider.name() + ": the budget of client '" + client + "' is spent; it resets at " + reset
                        + ", retry after " + seconds + " s");
        response.setHeader("Retry-After", Long.toString(seconds));
        return response;
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
