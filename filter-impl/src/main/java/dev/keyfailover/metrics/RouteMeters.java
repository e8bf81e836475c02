package dev.keyfailover.metrics;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.keyfailover.chain.FailoverEvents;
import dev.keyfailover.pool.KeyId;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one route (behaviour.md §11), all registered when it starts and all removed when it stops,
 * so a redeployment starts from zero and leaves nothing behind on a registry that outlives it.
 * Requests are counted here; attempts, transitions, exhaustions and upstream times through
 * {@link #events()}; the key-state gauge reads the pool when the registry is scraped.
 */
public final class RouteMeters implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteMeters.class);
    private static final RequestOutcome[] OUTCOMES = RequestOutcome.values();
    private static final RouteMeters NONE = new RouteMeters(null, null, null, null, FailoverEvents.NONE, null);

    private final RegisteredMeters meters;
    private final Tags route;
    /** Per client name ({@code none} for a request without a token), one counter per outcome. */
    private final Map<String, Counter[]> requests;
    private final FailoverMeters failover;
    private final KeyPool pool;

    private final FailoverEvents events;

    private RouteMeters(RegisteredMeters meters, Tags route, Map<String, Counter[]> requests, FailoverMeters failover,
                        FailoverEvents events, KeyPool pool) {
        this.events = events;
        this.meters = meters;
        this.route = route;
        this.requests = requests;
        this.failover = failover;
        this.pool = pool;
    }

    /** No meters: counts nothing. */
    public static RouteMeters none() {
        return NONE;
    }

    /**
     * Registers the meters of a route.
     *
     * @param pool the route's key pool, {@code null} when it has none (then only requests and
     *     upstream times are measured)
     * @param fallbacks the route's fallback routes, one {@code keyfailover.fallbacks} counter per reason each
     * @param clients the names of the route's clients (behaviour.md §13): the {@code client} tag of
     *     the request counter takes these values and {@code none}, no other, so that its series stay
     *     bounded by the configuration
     */
    public static RouteMeters register(MeterRegistry registry, String provider, KeyPool pool, List<String> fallbacks,
                                       List<String> clients) {
        if (registry.find(MeterNames.REQUESTS).tag(MeterNames.PROVIDER, provider).meter() != null) {
            LOG.warn("{}: the meter registry already has meters of this provider (two routes of one name, or one "
                    + "not stopped): their counts add up", provider);
        }
        RegisteredMeters meters = new RegisteredMeters(registry);
        Tags route = Tags.of(MeterNames.PROVIDER, provider);
        Map<String, Counter[]> requests = new ConcurrentHashMap<>();
        List<String> names = new ArrayList<>(clients);
        names.add(MeterNames.NO_CLIENT);
        for (String client : names) {
            requests.computeIfAbsent(client, name -> requestCounters(meters, route, name));
        }
        if (pool != null) {
            for (KeyState state : KeyState.values()) {
                meters.gauge(MeterNames.KEYS, "Keys of the pool in each state now (a key cooling for one model "
                        + "only is VALID)", route.and(MeterNames.STATE, state.name()), pool,
                        keys -> count(keys, state));
            }
        }
        FailoverMeters failover = new FailoverMeters(meters, provider, pool == null ? List.of() : pool.keys());
        if (pool != null) {
            pool.listen(failover);
        }
        FailoverEvents events = FailoverEvents.both(failover, new FallbackMeters(meters, provider, fallbacks));
        return new RouteMeters(meters, route, requests, failover, events, pool);
    }

    /** What the chain tells the meters. */
    public FailoverEvents events() {
        return events;
    }

    private static Counter[] requestCounters(RegisteredMeters meters, Tags route, String client) {
        Counter[] counters = new Counter[OUTCOMES.length];
        for (RequestOutcome outcome : OUTCOMES) {
            counters[outcome.ordinal()] = meters.counter(MeterNames.REQUESTS, "Client requests, by how they ended",
                    route.and(MeterNames.OUTCOME, outcome.tag()).and(MeterNames.CLIENT, client));
        }
        return counters;
    }

    /**
     * Clients a changed {@code clientTokensFile} named (§13): their request counters are made now;
     * a removed client's stay until the route stops, so that no count is lost.
     */
    public void clientsAdded(List<String> clients) {
        if (requests != null) {
            for (String client : clients) {
                requests.computeIfAbsent(client, name -> requestCounters(meters, route, name));
            }
        }
    }

    /** Counts one client request, once, by how it ended and the client token it carried. */
    public void request(RequestOutcome outcome, Optional<String> client) {
        if (requests != null && meters.recording()) {
            Counter[] counters = requests.get(client.orElse(MeterNames.NO_CLIENT));
            (counters == null ? requests.get(MeterNames.NO_CLIENT) : counters)[outcome.ordinal()].increment();
        }
    }

    /** An administrator reset this key of the route's pool, and it changed: a transition to VALID. */
    public void keyReset(KeyId key) {
        if (failover != null && pool != null) {
            failover.reset(key);
        }
    }

    /**
     * The route's {@code keyfailover.tokens} counters (behaviour.md §16), removed with its other meters;
     * {@code null} without meters.
     */
    public TokenMeters tokens(String provider, int maxModelTags) {
        return meters == null ? null : new TokenMeters(meters, provider, pool == null ? List.of() : pool.keys(),
                maxModelTags);
    }

    /** Removes this route's meters from the registry. */
    @Override
    public void close() {
        if (meters != null) {
            meters.removeAll();
        }
    }

    private static double count(KeyPool pool, KeyState state) {
        int count = 0;
        for (KeySnapshot key : pool.snapshot()) {
            if (key.state() == state) {
                count++;
            }
        }
        return count;
    }
}
