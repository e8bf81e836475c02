package dev.keyfailover.metrics;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.keyfailover.chain.Budgets;
import dev.keyfailover.chain.Exchange;
import dev.keyfailover.chain.RequestUsage;
import dev.keyfailover.chain.Usage;
import dev.keyfailover.pool.KeyId;

/**
 * One route's usage (behaviour.md §16): every answer a key of its pool served, counted for that key
 * (and for the client, when the request carried a client token), in tokens and requests, today (UTC,
 * by the route's clock) and in all, and on {@code keyfailover.tokens}. Local to this node. The same
 * answers count against the route's key budgets; its client budgets count the answers to requests
 * that called it, also those a fallback route served.
 */
public final class UsageLedger {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final String route;
    private final Clock clock;
    private final TokenMeters meters;
    private final Budgets budgets;
    private final Function<String, Optional<UsageLedger>> otherRoutes;
    private final Map<KeyId, UsageCount> keys = new ConcurrentHashMap<>();
    private final Map<String, UsageCount> clients = new ConcurrentHashMap<>();

    /**
     * @param route the route's provider name: answers another route served (a fallback) are that route's
     * @param meters the route's token counters, {@code null} without meters
     */
    public UsageLedger(String route, Clock clock, TokenMeters meters) {
        this(route, clock, meters, Budgets.NONE, name -> Optional.empty());
    }

    /**
     * @param budgets the route's key and client budgets, counted with the same answers
     * @param otherRoutes the ledgers of the application's other routes by name: an answer a fallback
     *     route's key served (behaviour.md §18) is that route's to count, but for the client's budget
     */
    public UsageLedger(String route, Clock clock, TokenMeters meters, Budgets budgets,
                       Function<String, Optional<UsageLedger>> otherRoutes) {
        this.route = route;
        this.clock = clock;
        this.meters = meters;
        this.budgets = budgets;
        this.otherRoutes = otherRoutes;
    }

    /** The route's budgets: what keys and clients spent of them. */
    public Budgets budgets() {
        return budgets;
    }

    /**
     * Counts the answer to one request that called this route, once upstream's answer is whole (before
     * its last bytes go to the client), or once it broke off, with
     * the usage read from it: against this route's client budget whichever route served it
     * (behaviour.md §16), the rest on the ledger of the route whose key served.
     */
    public void record(Exchange exchange, RequestUsage request, Optional<String> client, Usage usage) {
        if (!counts(exchange)) {
            return;
        }
        KeyId key = exchange.servedKey();
        budgets.clientAnswered(client, usage.total());
        // The serving route counts the model its upstream served: a fallback's rename, else the client's (§18).
        String model = exchange.renamedModel() != null ? exchange.renamedModel() : request.model();
        if (!route.equals(exchange.route())) {
            otherRoutes.apply(exchange.route()).filter(other -> other.route.equals(exchange.route()))
                    .ifPresent(other -> other.served(key, model, client, usage));
            return;
        }
        served(key, model, client, usage);
    }

    /** Whether the answer of this exchange is one to count: upstream's, to a pool key (of any route). */
    public static boolean counts(Exchange exchange) {
        return exchange.servedKey() != null && exchange.origin() == Exchange.Origin.UPSTREAM;
    }

    /** An answer a key of this route served: its usage, meters and key budget (not the client's budget: the called route's). */
    private void served(KeyId key, String model, Optional<String> client, Usage usage) {
        long day = today();
        keys.computeIfAbsent(key, k -> new UsageCount()).add(day, usage.total());
        client.ifPresent(name -> clients.computeIfAbsent(name, c -> new UsageCount()).add(day, usage.total()));
        if (meters != null) {
            meters.record(key, model, client, usage);
        }
        budgets.keyAnswered(key, usage.total());
    }

    /** What the key of this id (its own number, not its position now, and hint) used. */
    public UsageSnapshot key(KeyId key) {
        UsageCount count = keys.get(key);
        return count == null ? UsageSnapshot.NONE : count.snapshot(today());
    }

    /** What each client that sent a request used, by name. */
    public Map<String, UsageSnapshot> clients() {
        long day = today();
        Map<String, UsageSnapshot> snapshot = new TreeMap<>();
        clients.forEach((name, count) -> snapshot.put(name, count.snapshot(day)));
        return snapshot;
    }

    /** The UTC day, as {@code LocalDate.ofInstant(now, UTC).toEpochDay()}, from the clock's millis: no Instant per answer. */
    private long today() {
        return Math.floorDiv(clock.millis(), MILLIS_PER_DAY);
    }
}
