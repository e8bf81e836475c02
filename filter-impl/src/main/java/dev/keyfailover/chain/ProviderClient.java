package dev.keyfailover.chain;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import dev.keyfailover.api.Provider;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.settings.ClientSettings;
import org.apache.hc.client5.http.auth.AuthSchemeFactory;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of one provider. Our handlers, outermost first, all before HttpClient's
 * protocol element: client credentials, replayable body, usage (behaviour.md §16), the request's span (§17),
 * fallback routes (routes that name some), the attempts (key failover on routes with a pool), each attempt's span, API dump (so it sees every attempt), upstream timing (routes with metrics). And the proxy-safe
 * settings of behaviour.md §8: no redirects, no decompression, no automatic retries (ours are the
 * failover's, §18), no cookies, no authentication ({@link ProxyProtocolExec} in place of HttpClient's
 * protocol element, which prepares it on every request), no system proxy, a pool sized for a proxy.
 * HttpClient's transport element is rebuilt with one-pass request interceptors and reuse decision
 * ({@link ProxyTransport}): the same bytes on the wire, less work per request (issue 22).
 */
public final class ProviderClient implements Closeable {

    /** Chain element names, to find the handlers in the chain. */
    static final String CREDENTIALS = "keyfailover-credentials";
    static final String BODY = "keyfailover-body";
    static final String USAGE = "keyfailover-usage";
    static final String FALLBACK = "keyfailover-fallback";
    static final String FAILOVER = "keyfailover-failover";
    static final String DUMP = "keyfailover-dump";
    static final String TIMING = "keyfailover-timing";
    static final String TRACING = "keyfailover-tracing";
    static final String ATTEMPT_SPANS = "keyfailover-attempt-spans";

    private final Provider provider;
    private final KeyPool pool;
    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient client;
    private final UpstreamWatchdog watchdog;
    private final Tracing tracing;

    private ProviderClient(Provider provider, KeyPool pool, PoolingHttpClientConnectionManager connections,
                           CloseableHttpClient client, UpstreamWatchdog watchdog, Tracing tracing) {
        this.provider = provider;
        this.pool = pool;
        this.connections = connections;
        this.client = client;
        this.watchdog = watchdog;
        this.tracing = tracing;
    }

    /**
     * Builds the client, telling {@code events} of every attempt (timed by a handler innermost of
     * ours, after the dump), transition and exhaustion; with {@link FailoverEvents#NONE}, no timing.
     *
     * @param pool the key pool, {@code null} for a provider without one
     * @param dump where attempts are recorded, {@code null} for no dump
     * @param headers the route's header policy (credentials are stripped by it)
     * @param chain body limits, connections and timeouts, retries, fallbacks and client access
     */
    public static ProviderClient create(Provider provider, KeyPool pool, ApiDump dump, HeaderPolicy headers,
                                        RouteChain chain, Clock clock, FailoverEvents events) {
        ClientSettings settings = chain.client();
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(events, "events");
        UpstreamWatchdog watchdog = UpstreamWatchdog.start(provider.name(), shortestAnswerTimeout(settings));
        PoolingHttpClientConnectionManager connections = BudgetConnects.managerBuilder()
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .setConnectionFactory(new MaskedConnections(CredentialMasker.of(provider), settings, watchdog))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        HttpClientBuilder builder = HttpClientBuilder.create()
                .setConnectionManager(connections)
                // Both only act for a request with a budget: its connect and its head end at the budget's deadline (§18).
                .setRequestExecutor(new BudgetExchanges())
                .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(settings.responseTimeout()))
                        .setConnectionRequestTimeout(Timeout.of(settings.connectionRequestTimeout()))
                        .setRedirectsEnabled(false)
                        .setExpectContinueEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                // No auth schemes: a 401 is the failover's to judge, never a challenge to answer.
                .setDefaultAuthSchemeRegistry(RegistryBuilder.<AuthSchemeFactory>create().build())
                .disableDefaultUserAgent()
                // No client certificates and no connection-based auth: a connection's state is always null.
                .disableConnectionState()
                .evictExpiredConnections()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setConnectionReuseStrategy(ProxyReuseStrategy.INSTANCE)
                .replaceExecInterceptor(ChainElement.PROTOCOL.name(), new ProxyProtocolExec())
                .replaceExecInterceptor(ProxyTransport.element(), ProxyTransport.mainExec(connections))
                .addExecInterceptorBefore(ChainElement.PROTOCOL.name(), CREDENTIALS,
                        new ClientCredentialsExec(provider, headers, pool != null, chain.access(), chain.budgets(),
                                clock, chain.lines()))
                .addExecInterceptorBefore(ChainElement.PROTOCOL.name(), BODY, new ReplayableBodyExec(chain.bodyLimits(), provider,
                        chain.lines().providerFaults(clock, provider.name())))
                .addExecInterceptorBefore(ChainElement.PROTOCOL.name(), USAGE,
                        new UsageExec(provider, chain.usage().streamUsage()));
        boolean traced = chain.tracing() != Tracing.OFF;
        if (traced) {
            builder.addExecInterceptorBefore(ChainElement.PROTOCOL.name(), TRACING, new TracingExec(provider, chain.tracing()));
        }
        // Each one "before PROTOCOL" goes after the ones added earlier: the order of these lines is the chain's.
        if (chain.fallback().active()) {
            builder.addExecInterceptorBefore(ChainElement.PROTOCOL.name(), FALLBACK,
                    new FallbackExec(provider, chain.fallback(), clock, chain.lines(), events));
        }
        builder.addExecInterceptorBefore(ChainElement.PROTOCOL.name(), FAILOVER,
                new KeyFailoverExec(provider, pool, new AttemptBounds(chain.retries(), chain.jitter()), clock, chain.lines(),
                        events));
        if (traced) {
            builder.addExecInterceptorBefore(ChainElement.PROTOCOL.name(), ATTEMPT_SPANS,
                    new AttemptSpanExec(provider, chain.tracing()));
        }
        if (dump != null) {
            builder.addExecInterceptorBefore(ChainElement.PROTOCOL.name(), DUMP, new ApiDumpExec(dump));
        }
        if (events != FailoverEvents.NONE) {
            builder.addExecInterceptorBefore(ChainElement.PROTOCOL.name(), TIMING, new UpstreamTimingExec());
        }
        return new ProviderClient(provider, pool, connections, builder.build(), watchdog, chain.tracing());
    }

    /** The shortest of an answer's three timeouts, which sets how often their watchdog sweeps. */
    private static Duration shortestAnswerTimeout(ClientSettings settings) {
        Duration shortest = settings.responseTimeout();
        if (settings.streamIdleTimeout().compareTo(shortest) < 0) {
            shortest = settings.streamIdleTimeout();
        }
        Optional<Duration> firstByte = settings.firstByteTimeout();
        return firstByte.isPresent() && firstByte.get().compareTo(shortest) < 0 ? firstByte.get() : shortest;
    }

    public Provider provider() {
        return provider;
    }

    /** The key pool, or {@code null} when the provider has none. */
    public KeyPool pool() {
        return pool;
    }

    /**
     * Sends a client's request through this route's chain; the answer is the caller's to close. The
     * trace headers the client sent are noted first (behaviour.md §17): the Java agent sets its own on
     * this very request as the client's {@code execute} starts, and every attempt goes with the
     * client's ({@link ClientTraceHeaders}; with {@code propagateTraceContext=true}, its own
     * {@code traceparent} in place of the client's).
     *
     * @param target the host, {@code null}: the client derives it from the request
     */
    public ClassicHttpResponse executeOpen(HttpHost target, ClassicHttpRequest request, HttpClientContext context)
            throws IOException {
        if (tracing != Tracing.OFF) {
            ClientTraceHeaders.note(request, context, tracing.traceHeaders());
        }
        return client.executeOpen(target, request, context);
    }

    /**
     * The client itself, for a fallback route's chain ({@code FallbackExec} notes nothing again: the
     * first route did). A request sent through it directly has no trace headers noted: it goes
     * upstream without any but its attempt's own with {@code propagateTraceContext=true}; send
     * through {@link #executeOpen} instead.
     */
    public CloseableHttpClient httpClient() {
        return client;
    }

    /** Leased, available and pending connections, for health checks and tests. */
    public PoolStats connectionStats() {
        return connections.getTotalStats();
    }

    @Override
    public void close() throws IOException {
        try {
            client.close(CloseMode.GRACEFUL);
        } finally {
            watchdog.close();
        }
    }
}
