package dev.keyfailover.servlet;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.chain.ApiDump;
import dev.keyfailover.chain.Budgets;
import dev.keyfailover.chain.ClientAccess;
import dev.keyfailover.chain.CredentialMasker;
import dev.keyfailover.chain.FallbackPlan;
import dev.keyfailover.chain.FallbackTargets;
import dev.keyfailover.chain.HeaderPolicy;
import dev.keyfailover.chain.ProviderClient;
import dev.keyfailover.chain.RouteChain;
import dev.keyfailover.chain.ThrottledLines;
import dev.keyfailover.chain.Tracing;
import dev.keyfailover.config.ConfigException;
import dev.keyfailover.config.ProviderFactories;
import dev.keyfailover.config.RouteConfig;
import dev.keyfailover.metrics.RouteMeters;
import dev.keyfailover.metrics.UsageLedger;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyStateStore;
import dev.keyfailover.pool.Sleeper;
import dev.keyfailover.settings.InboundLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one route together from its configuration: the provider its factory makes, the key pool,
 * the dump, the header policy, the meters and the HTTP client. A configuration error stops the
 * route with a message naming the route and the parameter.
 */
final class RouteAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyRoute.class);

    /** How often a keys file's content is compared even when no change was heard of (behaviour.md §14: within 2 s). */
    private static final java.time.Duration KEYS_FILE_CHECK = java.time.Duration.ofMillis(500);

    private RouteAssembly() {
    }

    /**
     * @param store where the keys' states live (closed by the route)
     * @param lines every throttled log line of the route (the store's too), swept on the client
     *     watchdog's thread and flushed when the route stops (behaviour.md §8)
     * @param registry where the route's meters go; {@code null}: none
     * @param headerPolicies makes the route's header policy
     * @param targets where the route finds its fallback routes (the application's {@link RouteRegistry}
     *     also finds their usage ledgers: an answer a fallback route's key served is counted there)
     * @param openTelemetry where the route's spans go; {@code null}: the global OpenTelemetry (behaviour.md §17)
     */
    static ProxyRoute assemble(String where, RouteConfig config, Clock clock, KeyStateStore store, ThrottledLines lines,
                               MeterRegistry registry, HeaderPolicyFactory headerPolicies, FallbackTargets targets,
                               OpenTelemetry openTelemetry)
            throws ConfigException {
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
        RouteKeys keys = pool == null ? null : new RouteKeys(where, pool, config.keysFile(), config.keys());
        ApiDump dump = config.dumpDir() == null ? null
                : new ApiDump(config.dumpDir(), provider.name(), clock, CredentialMasker.of(provider), lines);
        HeaderPolicy headers = headerPolicies.create(provider, config);
        ClientAccess access = ClientAccess.of(provider.name(), config.access(), clock);
        RouteMeters meters = registry == null ? RouteMeters.none()
                : RouteMeters.register(registry, provider.name(), pool, config.fallback().routes(), access.clientNames());
        Budgets budgets = Budgets.of(provider.name(), config.usage(), pool, store.budgetCounts(), clock, meters.events(),
                access);
        ProviderClient client;
        try {
            RouteChain chain = new RouteChain(config.bodyLimits(), config.client(), config.retries(),
                    () -> ThreadLocalRandom.current().nextDouble(),
                    new FallbackPlan(config.fallback(), targets, config.retries().transientStatuses()), access,
                    config.usage(), budgets,
                    Tracing.of(openTelemetry, config.providerType(), config.propagateTraceContext()), lines);
            client = ProviderClient.create(provider, pool, dump, headers, chain, clock, meters.events());
        } catch (RuntimeException e) {
            meters.close();
            throw e;
        }
        RouteTokens tokens = null;
        if (config.access().tokensFile().isPresent()) {
            try {
                tokens = RouteTokens.watch(where, config.access().tokensFile().get(), access, meters, KEYS_FILE_CHECK);
            } catch (java.io.IOException e) {
                closeQuietly(client, meters, null);
                throw new ConfigException(where + ": parameter 'clientTokensFile': cannot watch '"
                        + config.access().tokensFile().get() + "' (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (keys != null) {
            try {
                keys.watch("", KEYS_FILE_CHECK);
            } catch (java.io.IOException e) {
                closeQuietly(client, meters, tokens);
                throw new ConfigException(where + ": parameter 'keysFile': cannot watch '" + config.keysFile().orElseThrow()
                        + "' (" + e.getClass().getSimpleName() + ")");
            }
            // Last: nothing after it can fail the route, and closing the route stops it.
            SharedRouteKeys.start(where, provider.name(), keys, store, config.keysCipher());
        }
        LOG.info("{}: provider '{}' ({}) to {}, {} pool key(s), key states {}, dump {}", where, provider.name(),
                config.providerType(), config.baseUrl(), config.keys().size(), store.description(),
                dump == null ? "off" : dump.directory());
        AccessLog.started(where, provider.name(), config.access(), pool != null);
        InboundLimits inbound = config.inbound();
        ClientWatchdog watchdog = ClientWatchdog.start(provider.name(), inbound.clientIdleTimeout());
        watchdog.alsoEvery(ThrottledLines.SWEEP_INTERVAL, lines::sweep);
        return new ProxyRoute(config.baseUrl(), config.fallback(), client, headers, config.client().bufferSize(),
                new ClientAddresses(config.access().trustedProxies()), store,
                new InFlightRequests(inbound.maxConcurrentStreams()), watchdog, meters, keys, tokens,
                new UsageLedger(provider.name(), clock, meters.tokens(provider.name(), config.usage().maxModelTags()), budgets,
                        name -> targets instanceof RouteRegistry routes ? routes.usage(name) : Optional.empty()),
                clock, lines);
    }

    /** Undoes what a route that does not start made. */
    private static void closeQuietly(ProviderClient client, RouteMeters meters, RouteTokens tokens) {
        try (ProviderClient closed = client; RouteTokens stopped = tokens) {
            meters.close();
        } catch (java.io.IOException | RuntimeException ignored) {
            // the route does not start anyway
        }
    }
}
