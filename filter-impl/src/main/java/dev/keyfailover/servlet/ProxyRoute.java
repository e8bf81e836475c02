package dev.keyfailover.servlet;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
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
import dev.keyfailover.pool.KeyStateStore;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.pool.Sleeper;
import dev.keyfailover.settings.InboundLimits;
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

    private static final Runnable NOTHING_TO_RELEASE = () -> { };

    private final String baseUrl;
    private final ProviderClient client;
    private final HeaderPolicy headers;
    private final UpstreamRequests requests;
    private final ResponseStreamer streamer;
    private final KeyStateStore store;
    private final InFlightRequests inFlight;
    private final ClientWatchdog watchdog;
    private final RouteMeters meters;

    private ProxyRoute(String baseUrl, ProviderClient client, HeaderPolicy headers, int streamBufferSize,
                       KeyStateStore store, InFlightRequests inFlight, ClientWatchdog watchdog, RouteMeters meters) {
        this.baseUrl = baseUrl;
        this.client = client;
        this.headers = headers;
        this.requests = new UpstreamRequests(headers);
        this.streamer = new ResponseStreamer(headers, streamBufferSize);
        this.store = store;
        this.inFlight = inFlight;
        this.watchdog = watchdog;
        this.meters = meters;
    }

    /** Builds the route's provider, pool, dump and client from its configuration. */
    public static ProxyRoute create(String where, RouteConfig config, Clock clock) throws ConfigException {
        return create(where, config, clock, LocalKeyStateStore.INSTANCE);
    }

    /** As {@link #create(String, RouteConfig, Clock)}, with the key states in {@code store}. */
    public static ProxyRoute create(String where, RouteConfig config, Clock clock, KeyStateStore store)
            throws ConfigException {
        return create(where, config, clock, store, null);
    }

    /**
     * As {@link #create(String, RouteConfig, Clock, KeyStateStore)}, with the route's meters on
     * {@code registry} ({@code null}: none), removed again by {@link #close()}.
     */
    public static ProxyRoute create(String where, RouteConfig config, Clock clock, KeyStateStore store,
                                    MeterRegistry registry) throws ConfigException {
        return create(where, config, clock, store, registry, HeaderPolicyFactory.DEFAULT);
    }

    /** As {@link #create(String, RouteConfig, Clock, KeyStateStore, MeterRegistry)}, with the header policy {@code headerPolicies} makes. */
    public static ProxyRoute create(String where, RouteConfig config, Clock clock, KeyStateStore store,
                                    MeterRegistry registry, HeaderPolicyFactory headerPolicies) throws ConfigException {
        ProviderFactory factory = ProviderFactories.require(where, config.providerType());
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
            pool = config.keys().isEmpty() ? null
                    : new KeyPool(provider.name(), config.keys(), clock, config.pool(), Sleeper.THREAD, store);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": parameter 'keys': " + e.getMessage());
        }
        ApiDump dump = config.dumpDir() == null ? null
                : new ApiDump(config.dumpDir(), provider.name(), clock, new CredentialMasker(provider.credentialHeaders()));
        HeaderPolicy headers = headerPolicies.create(provider, config);
        RouteMeters meters = registry == null ? RouteMeters.none() : RouteMeters.register(registry, provider.name(), pool);
        ProviderClient client;
        try {
            client = ProviderClient.create(provider, pool, dump, headers, config.bodyLimits(), config.client(), clock,
                    meters.events());
        } catch (RuntimeException e) {
            meters.close();
            throw e;
        }
        LOG.info("{}: provider '{}' ({}) to {}, {} pool key(s), key states {}, dump {}", where, provider.name(),
                config.providerType(), config.baseUrl(), config.keys().size(), store.description(),
                dump == null ? "off" : dump.directory());
        InboundLimits inbound = config.inbound();
        return new ProxyRoute(config.baseUrl(), client, headers, config.client().bufferSize(), store,
                new InFlightRequests(inbound.maxConcurrentStreams()),
                ClientWatchdog.start(provider.name(), inbound.clientIdleTimeout()), meters);
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

    /** Where the route's key states live. */
    public KeyStateStore stateStore() {
        return store;
    }

    /**
     * Requests of this route in flight now: from entering the route until their response is
     * written, streams included. At most {@code maxConcurrentStreams} when that is set.
     */
    public int inFlight() {
        return inFlight.count();
    }

    /**
     * Forwards one client request, or refuses it at once with a 503 when the route already serves
     * its {@code maxConcurrentStreams}.
     *
     * @param rawRest the encoded path after the route prefix, as the client sent it
     */
    public void forward(HttpServletRequest request, HttpServletResponse response, String rawRest) throws IOException {
        // What a request that ends in an exception counts as: the container answers it with an error.
        RequestOutcome outcome = RequestOutcome.PROXY_ERROR;
        try {
            Optional<InFlightRequests.Admission> admission = inFlight.tryAdmit();
            if (admission.isEmpty()) {
                outcome = refuseOverloaded(response);
                return;
            }
            try (InFlightRequests.Admission counted = admission.get()) {
                outcome = forwardAdmitted(request, response, rawRest);
            }
        } catch (ClientStalledException e) {
            outcome = RequestOutcome.CLIENT_ERROR;
            throw e;
        } finally {
            meters.request(outcome);
        }
    }

    /** Forwards one admitted request and says how it ended. */
    private RequestOutcome forwardAdmitted(HttpServletRequest request, HttpServletResponse response, String rawRest)
            throws IOException {
        HttpClientContext context = HttpClientContext.create();
        Exchange exchange = Exchange.start(context, UpstreamRequests.containerHeaderLogin(request));
        if (NOT_FORWARDED.contains(request.getMethod())) {
            // TRACE would echo the pool key back to the client; CONNECT would open a tunnel.
            return answer(ProxyFailure.METHOD_NOT_ALLOWED, "method " + request.getMethod() + " is not forwarded",
                    response, exchange);
        }
        HttpUriRequestBase upstream;
        ClassicHttpResponse answer;
        // The body is read (by the chain) before any upstream connection is leased: a slow upload holds none.
        try (ClientWatchdog.Watch upload = watchdog.watch(NOTHING_TO_RELEASE)) {
            try {
                upstream = requests.build(request, targetBase(request), ForwardPath.check(rawRest), upload);
            } catch (IllegalArgumentException e) {
                return answer(ProxyFailure.BAD_REQUEST, "cannot forward this request: " + e.getMessage(), response,
                        exchange);
            }
            try {
                answer = client.httpClient().executeOpen(null, upstream, context);
            } catch (ClientBodyTimeoutException e) {
                LOG.debug("{}: client did not send its body within clientIdleTimeout", provider().name());
                if (request.getProtocol().startsWith("HTTP/1")) {
                    // The rest of the body may still trickle in: the connection cannot be reused.
                    response.setHeader("Connection", "close");
                }
                return answer(ProxyFailure.REQUEST_TIMEOUT, "request body not received within clientIdleTimeout",
                        response, exchange);
            } catch (ClientAbortedException e) {
                LOG.debug("{}: client went away while sending its body", provider().name());
                return RequestOutcome.CLIENT_ERROR;
            } catch (IOException e) {
                ProxyFailure failure = UpstreamFailures.of(e);
                LOG.warn("{}: upstream {} failed before answering: {}", provider().name(), upstream.getMethod(),
                        e.toString());
                ClassicHttpResponse failed = ProxyResponses.failure(provider(), failure,
                        failure == ProxyFailure.GATEWAY_TIMEOUT ? "upstream did not answer in time"
                                : "upstream could not be reached");
                if (pool() != null && !exchange.byok()) {
                    // Like every answer to a pool request: the attempt that failed is the last one made.
                    headers.addPoolHeaders(failed, exchange.attempt(), null);
                }
                return answer(failed, response, exchange);
            }
        }
        // A write the client leaves blocked past clientIdleTimeout cancels the exchange: its connection is let go.
        try (ClientWatchdog.Watch writes = watchdog.watch(upstream::cancel)) {
            return copyAnswer(answer, upstream, response, exchange, writes);
        }
    }

    private RequestOutcome copyAnswer(ClassicHttpResponse answer, HttpUriRequestBase upstream,
                                      HttpServletResponse response, Exchange exchange, ClientWatchdog.Watch writes)
            throws IOException {
        try {
            streamer.copy(answer, response, exchange, writes);
            answer.close();
            return RequestOutcome.answered(exchange);
        } catch (IOException e) {
            upstream.cancel();
            closeQuietly(answer);
            if (writes.expired()) {
                // Whether the blocked write failed or finally went out, the answer is cut: abort, never a clean end.
                throw new ClientStalledException(provider().name(), e);
            }
            if (e instanceof ClientAbortedException) {
                LOG.debug("{}: client went away, upstream exchange aborted", provider().name());
                return RequestOutcome.CLIENT_ERROR;
            }
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

    /**
     * The 503 over {@code maxConcurrentStreams}, with a short {@code Retry-After}: nothing of the
     * request is read, no thread waits for a slot.
     */
    private RequestOutcome refuseOverloaded(HttpServletResponse response) throws IOException {
        LOG.debug("{}: refused a request over maxConcurrentStreams", provider().name());
        long retryAfter = InboundLimits.OVERLOAD_RETRY_AFTER.toSeconds();
        ClassicHttpResponse refusal = ProxyResponses.failure(provider(), ProxyFailure.OVERLOADED, provider().name()
                + ": the proxy is serving as many requests as it may at once; retry after " + retryAfter + " s");
        refusal.setHeader("Retry-After", Long.toString(retryAfter));
        return answer(refusal, response, Exchange.start(HttpClientContext.create(), false));
    }

    /** An answer of the proxy itself, in the provider's error format. */
    private RequestOutcome answer(ProxyFailure failure, String message, HttpServletResponse response,
                                  Exchange exchange) throws IOException {
        return answer(ProxyResponses.failure(provider(), failure, message), response, exchange);
    }

    private RequestOutcome answer(ClassicHttpResponse own, HttpServletResponse response, Exchange exchange)
            throws IOException {
        try (ClientWatchdog.Watch writes = watchdog.watch(NOTHING_TO_RELEASE)) {
            streamer.copy(own, response, exchange, writes);
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

    /** Stops the watchdog, closes the client and the state store, and removes the route's meters. */
    @Override
    public void close() throws IOException {
        watchdog.close();
        try {
            client.close();
        } finally {
            try {
                store.close();
            } finally {
                meters.close();
            }
        }
    }

}
