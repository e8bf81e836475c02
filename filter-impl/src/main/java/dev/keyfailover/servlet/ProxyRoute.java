package dev.keyfailover.servlet;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

import dev.keyfailover.api.Provider;
import dev.keyfailover.chain.Caller;
import dev.keyfailover.chain.FallbackTarget;
import dev.keyfailover.chain.HeaderPolicy;
import dev.keyfailover.chain.ProviderClient;
import dev.keyfailover.chain.ThrottledLines;
import dev.keyfailover.metrics.RequestOutcome;
import dev.keyfailover.metrics.RouteMeters;
import dev.keyfailover.metrics.UsageLedger;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyStateStore;
import dev.keyfailover.settings.FallbackSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The proxy engine of one route, shared by {@link KeyFailoverServlet} and {@link KeyFailoverFilter}:
 * forwards a client request through the provider's client and copies the answer back, with
 * provider-shaped errors for what the proxy itself cannot do (behaviour.md §8).
 */
public final class ProxyRoute implements Closeable {

    private final String baseUrl;
    private final FallbackSettings fallback;
    private final ProviderClient client;
    private final Forwarding forwarding;
    private final KeyStateStore store;
    private final InFlightRequests inFlight;
    private final ClientWatchdog watchdog;
    private final RouteMeters meters;
    private final ClientAddresses addresses;
    /** Where the pool's keys come from and how they change; {@code null} without a pool. */
    private final RouteKeys keys;
    /** Watches the route's clientTokensFile; {@code null} when the tokens are given inline or not at all. */
    private final RouteTokens tokens;
    private final UsageLedger usage;
    /** The route's throttled log lines, swept on the watchdog's thread; what they still count is written at close. */
    private final ThrottledLines lines;

    ProxyRoute(String baseUrl, FallbackSettings fallback, ProviderClient client, HeaderPolicy headers,
               int streamBufferSize, ClientAddresses addresses,
               KeyStateStore store, InFlightRequests inFlight, ClientWatchdog watchdog, RouteMeters meters,
               RouteKeys keys, RouteTokens tokens, UsageLedger usage, Clock clock, ThrottledLines lines) {
        this.keys = keys;
        this.tokens = tokens;
        this.addresses = addresses;
        this.client = client;
        this.baseUrl = baseUrl;
        this.fallback = fallback;
        this.forwarding = new Forwarding(baseUrl, client, new UpstreamRequests(headers),
                new ResponseStreamer(headers, streamBufferSize), watchdog, usage, clock, lines);
        this.lines = lines;
        this.usage = usage;
        this.store = store;
        this.inFlight = inFlight;
        this.watchdog = watchdog;
        this.meters = meters;
    }

    /** The route's upstream base URL as configured ({@code /path}: this server's). */
    String baseUrl() {
        return baseUrl;
    }

    /** The route's fallback routes and how it renames the model as another's fallback. */
    FallbackSettings fallbackSettings() {
        return fallback;
    }

    /** The route as another route's fallback sees it. */
    FallbackTarget asFallbackTarget() {
        return new FallbackTarget(provider().name(), baseUrl, provider(), fallback, client.httpClient());
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

    /** What the route's keys and clients used (behaviour.md §16). */
    public UsageLedger usage() {
        return usage;
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
        return resetKey(pool.keys().get(index));
    }

    /** An administrator's reset of this key (behaviour.md §14), counted as a transition when it changed it. */
    boolean resetKey(dev.keyfailover.pool.Key key) {
        boolean changed = pool().reset(key);
        if (changed) {
            meters.keyReset(key.id());
        }
        return changed;
    }

    /** The route's keys and their sources (behaviour.md §14); empty without a pool. */
    Optional<RouteKeys> keys() {
        return Optional.ofNullable(keys);
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
        Caller caller = Caller.from(addresses.of(request));
        try {
            Optional<InFlightRequests.Admission> admission = inFlight.tryAdmit();
            if (admission.isEmpty()) {
                outcome = forwarding.refuseOverloaded(response);
                return;
            }
            try (InFlightRequests.Admission counted = admission.get()) {
                outcome = forwarding.forward(request, response, rawRest, caller);
            }
        } catch (ClientStalledException e) {
            outcome = RequestOutcome.CLIENT_ERROR;
            throw e;
        } finally {
            meters.request(outcome, caller.client());
        }
    }

    /**
     * Stops the watchdog (and the sweep of the throttled lines), closes the client and the state
     * store, removes the route's meters, and writes what the throttled lines still count.
     */
    @Override
    public void close() throws IOException {
        try {
            if (keys != null) {
                keys.close();
            }
            if (tokens != null) {
                tokens.close();
            }
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
        } finally {
            // Last: a request failing while the client closes is still counted (behaviour.md §8).
            lines.flush();
        }
    }

}
