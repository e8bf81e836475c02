package dev.keyfailover.servlet;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.chain.ApiDump;
import dev.keyfailover.chain.CredentialMasker;
import dev.keyfailover.chain.Exchange;
import dev.keyfailover.chain.HeaderPolicy;
import dev.keyfailover.chain.ProviderClient;
import dev.keyfailover.chain.ProxyResponses;
import dev.keyfailover.config.ConfigException;
import dev.keyfailover.config.ProviderFactories;
import dev.keyfailover.config.RouteConfig;
import dev.keyfailover.metrics.RequestOutcome;
import dev.keyfailover.metrics.RouteMeters;
import dev.keyfailover.pool.KeyPool;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy engine of one route, shared by {@link KeyFailoverServlet} and {@link KeyFailoverFilter}:
 * forwards a client request through the provider's client and copies the answer back, with
 * provider-shaped errors for what the proxy itself cannot do (behaviour.md §8).
 */
public final class ProxyRoute implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyRoute.class);
    private static final Set<String> NOT_FORWARDED = Set.of("TRACE", "CONNECT");

    private final String baseUrl;
    private final ProviderClient client;
    private final HeaderPolicy headers;
    private final UpstreamRequests requests;
    private final RouteMeters meters;

    private ProxyRoute(String baseUrl, ProviderClient client, HeaderPolicy headers, RouteMeters meters) {
        this.baseUrl = baseUrl;
        this.client = client;
        this.headers = headers;
        this.requests = new UpstreamRequests(headers);
        this.meters = meters;
    }

    /** Builds the route's provider, pool, dump and client from its configuration, without meters. */
    public static ProxyRoute create(String where, RouteConfig config, Clock clock) throws ConfigException {
        return create(where, config, clock, null);
    }

    /**
     * Builds the route's provider, pool, dump and client from its configuration, with its meters
     * on {@code registry} ({@code null}: none), removed again by {@link #close()}.
     */
    public static ProxyRoute create(String where, RouteConfig config, Clock clock, MeterRegistry registry)
            throws ConfigException {
        Map<String, ProviderFactory> factories = ProviderFactories.discover();
        ProviderFactory factory = factories.get(config.providerType());
        if (factory == null) {
            throw new ConfigException(where + ": parameter 'provider' names unknown type '" + config.providerType()
                    + "'; known types: " + String.join(", ", factories.keySet()));
        }
        // A same-server base URL ("/path") is resolved per request; the provider sees a placeholder host.
        String settingsUrl = config.baseUrl().startsWith("/") ? "http://localhost" + config.baseUrl() : config.baseUrl();
        Provider provider;
        try {
            provider = factory.create(new ProviderSettings(config.providerName(), java.net.URI.create(settingsUrl),
                    config.properties()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": provider '" + config.providerType() + "': " + e.getMessage());
        }
        if (provider == null) {
            throw new ConfigException(where + ": provider factory '" + config.providerType() + "' returned nothing");
        }
        KeyPool pool;
        try {
            pool = config.keys().isEmpty() ? null : new KeyPool(provider.name(), config.keys(), clock, config.pool());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": parameter 'keys': " + e.getMessage());
        }
        ApiDump dump = config.dumpDir() == null ? null
                : new ApiDump(config.dumpDir(), provider.name(), clock, new CredentialMasker(provider.credentialHeaders()));
        HeaderPolicy headers = new HeaderPolicy(provider, config.byokAllowed(), config.clientAuthHeaders(),
                config.dropResponseHeaders(), config.exposeKeyHint());
        RouteMeters meters = registry == null ? RouteMeters.none() : RouteMeters.register(registry, provider.name(), pool);
        ProviderClient client = ProviderClient.create(provider, pool, dump, headers, config.bodyLimits(),
                config.client(), clock, meters.events());
        LOG.info("{}: provider '{}' ({}) to {}, {} pool key(s), dump {}", where, provider.name(), config.providerType(),
                config.baseUrl(), config.keys().size(), dump == null ? "off" : dump.directory());
        return new ProxyRoute(config.baseUrl(), client, headers, meters);
    }

    public Provider provider() {
        return client.provider();
    }

    /** The key pool, or {@code null} when the provider has none. */
    public KeyPool pool() {
        return client.pool();
    }

    public ProviderClient client() {
        return client;
    }

    /** The route's meters ({@link RouteMeters#none()} without a registry). */
    public RouteMeters meters() {
        return meters;
    }

    /**
     * An administrator's reset of one key of the pool to VALID (behaviour.md §1), counted as a
     * transition when it changed the key.
     *
     * @return whether the key was not valid before
     * @throws IllegalStateException when the route has no pool
     */
    public boolean resetKey(int index) {
        KeyPool pool = pool();
        if (pool == null) {
            throw new IllegalStateException(provider().name() + " has no key pool");
        }
        boolean changed = pool.reset(index);
        if (changed) {
            meters.keyReset(pool.keys().get(index));
        }
        return changed;
    }

    /**
     * Forwards one client request.
     *
     * @param rawRest the encoded path after the route prefix, as the client sent it
     */
    public void forward(HttpServletRequest request, HttpServletResponse response, String rawRest) throws IOException {
        HttpClientContext context = HttpClientContext.create();
        Exchange exchange = Exchange.start(context, UpstreamRequests.containerHeaderLogin(request));
        // What a request that ends in an exception counts as: the container answers it with an error.
        RequestOutcome outcome = RequestOutcome.PROXY_ERROR;
        try {
            outcome = forward(request, response, rawRest, context, exchange);
        } finally {
            meters.request(outcome);
        }
    }

    /** Forwards one client request and says how it ended. */
    private RequestOutcome forward(HttpServletRequest request, HttpServletResponse response, String rawRest,
                                   HttpClientContext context, Exchange exchange) throws IOException {
        if (NOT_FORWARDED.contains(request.getMethod())) {
            // TRACE would echo the pool key back to the client; CONNECT would open a tunnel.
            return answer(ProxyFailure.METHOD_NOT_ALLOWED, "method " + request.getMethod() + " is not forwarded",
                    response, exchange);
        }
        HttpUriRequestBase upstream;
        try {
            upstream = requests.build(request, targetBase(request), ForwardPath.check(rawRest));
        } catch (IllegalArgumentException e) {
            return answer(ProxyFailure.BAD_REQUEST, "cannot forward this request: " + e.getMessage(), response,
                    exchange);
        }
        ClassicHttpResponse answer;
        try {
            answer = client.httpClient().executeOpen(null, upstream, context);
        } catch (ClientAbortedException e) {
            LOG.debug("{}: client went away while sending its body", provider().name());
            return RequestOutcome.CLIENT_ERROR;
        } catch (IOException e) {
            ProxyFailure failure = UpstreamFailures.of(e);
            LOG.warn("{}: upstream {} failed before answering: {}", provider().name(), upstream.getMethod(), e.toString());
            return answer(failure, failure == ProxyFailure.GATEWAY_TIMEOUT ? "upstream did not answer in time"
                    : "upstream could not be reached", response, exchange);
        }
        try {
            ResponseStreamer.copy(answer, response, headers, exchange);
            answer.close();
            return RequestOutcome.answered(exchange);
        } catch (ClientAbortedException e) {
            upstream.cancel();
            closeQuietly(answer);
            LOG.debug("{}: client went away, upstream exchange aborted", provider().name());
            return RequestOutcome.CLIENT_ERROR;
        } catch (IOException e) {
            upstream.cancel();
            closeQuietly(answer);
            if (!response.isCommitted()) {
                response.reset();
                return answer(UpstreamFailures.of(e), "upstream failed while answering", response, exchange);
            }
            throw new UpstreamBrokeException(provider().name(), e);
        }
    }

    private String targetBase(HttpServletRequest request) {
        if (!baseUrl.startsWith("/")) {
            return baseUrl;
        }
        String host = request.getLocalAddr();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return request.getScheme() + "://" + host + ":" + request.getLocalPort() + request.getContextPath() + baseUrl;
    }

    /** An answer of the proxy itself, in the provider's error format. */
    private RequestOutcome answer(ProxyFailure failure, String message, HttpServletResponse response,
                                  Exchange exchange) throws IOException {
        try {
            ResponseStreamer.copy(ProxyResponses.failure(provider(), failure, message), response, headers, exchange);
            return RequestOutcome.PROXY_ERROR;
        } catch (ClientAbortedException e) {
            LOG.debug("client went away before the proxy's own answer was written");
            return RequestOutcome.CLIENT_ERROR;
        }
    }

    private static void closeQuietly(ClassicHttpResponse answer) {
        try {
            answer.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing an aborted upstream answer: {}", e.toString());
        }
    }

    /** Closes the client and removes the route's meters. */
    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            meters.close();
        }
    }

}
