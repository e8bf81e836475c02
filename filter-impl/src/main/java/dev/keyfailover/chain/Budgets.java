package dev.keyfailover.chain;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.keyfailover.pool.BudgetCounts;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyBudgets;
import dev.keyfailover.pool.KeyId;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.settings.Budget;
import dev.keyfailover.settings.UsageSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's budgets (behaviour.md §16): what each key ({@code keyBudget}) and each client token
 * ({@code clientBudget}) may spend per UTC window of the route's clock, counted after each answer (its
 * tokens, or 1 request) in the route's {@link BudgetCounts}: for a key, each answer it served; for a
 * client, each answer to its requests that called this route, whichever route served them. A key whose
 * budget is spent cools for every model until the window resets; a client whose budget is spent is
 * refused by {@link ClientCredentialsExec} until then. Counts are by key fingerprint and token name,
 * never a secret.
 */
public final class Budgets {

    private static final Logger LOG = LoggerFactory.getLogger(Budgets.class);

    /** No budget at all. */
    public static final Budgets NONE = new Budgets("", Optional.empty(), Optional.empty(), null, null,
            Clock.systemUTC(), FailoverEvents.NONE, List::of);

    private final String route;
    private final Optional<Budget> keyBudget;
    private final Optional<Budget> clientBudget;
    private final BudgetCounts counts;
    private final KeyBudgets keys;
    private final Clock clock;
    private final FailoverEvents events;
    /** The names of the route's client tokens as they stand (a tokens file may change them). */
    private final Supplier<List<String>> clientNames;

    private Budgets(String route, Optional<Budget> keyBudget, Optional<Budget> clientBudget, BudgetCounts counts,
                    KeyBudgets keys, Clock clock, FailoverEvents events, Supplier<List<String>> clientNames) {
        this.route = route;
        this.keyBudget = keyBudget;
        this.clientBudget = clientBudget;
        this.counts = counts;
        this.keys = keys;
        this.clock = clock;
        this.events = events;
        this.clientNames = clientNames;
    }

    /**
     * The budgets the route's settings name, counted in {@code counts} (its state store's).
     *
     * @param pool the route's pool, {@code null} without one (then no answer is a key's to count)
     * @param events told when a key spends its budget (the log always)
     * @param access the route's clients (their budgets shown by {@link #clientsSpending()})
     */
    public static Budgets of(String route, UsageSettings usage, KeyPool pool, BudgetCounts counts, Clock clock,
                             FailoverEvents events, ClientAccess access) {
        if (pool == null || usage.keyBudget().isEmpty() && usage.clientBudget().isEmpty()) {
            return NONE;
        }
        return new Budgets(route, usage.keyBudget(), usage.clientBudget(), Objects.requireNonNull(counts, "counts"),
                new KeyBudgets(pool), clock, FailoverEvents.both(new FailoverLog(route), events), access::clientNames);
    }

    /**
     * Counts an answer to a request that called this route, once it ended, for the client token it
     * carried: whichever route's key served it (this one's or a fallback's, behaviour.md §16), as a
     * client's budget caps its spending through the route it called.
     */
    public void clientAnswered(Optional<String> client, long tokens) {
        if (clientBudget.isEmpty() || client.isEmpty()) {
            return;
        }
        countClient(client.get(), clientBudget.get(), clock.instant(), tokens);
    }

    /**
     * Counts an answer a key of this route served, once it ended, for that key (also when this route
     * served as another route's fallback). A key whose budget this spends cools until the window
     * resets; the request itself completed (requests in flight may overshoot a budget by what they use).
     */
    public void keyAnswered(KeyId servedKey, long tokens) {
        if (keyBudget.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Budget budget = keyBudget.get();
        Optional<Key> key = keys.find(servedKey);
        if (key.isEmpty()) {
            return; // taken out of the pool meanwhile: nothing left to cool
        }
        long spent = counts.add(keyOwner(key.get().fingerprint()), budget.windowStart(now), budget.cost(tokens));
        if (spent >= budget.amount()) {
            Instant reset = budget.reset(now);
            if (keys.spent(key.get(), reset)) {
                events.keyBudgetSpent(key.get().id(), budget.toString(), reset);
            }
        }
    }

    private void countClient(String name, Budget budget, Instant now, long tokens) {
        long cost = budget.cost(tokens);
        long spent = counts.add(clientOwner(name), budget.windowStart(now), cost);
        // The addition that crossed the budget says so, once (the counts are exact, also in a cluster).
        if (spent >= budget.amount() && spent - cost < budget.amount()) {
            LOG.warn("{}: client '{}' spent its budget of {}; refused until {}", route, name, budget,
                    budget.reset(now));
        }
    }

    /** Now, by the route's clock. */
    Instant now() {
        return clock.instant();
    }

    /** When the client's budget is spent now: the instant its window resets. */
    Optional<Instant> clientSpentUntil(String client) {
        Optional<Spending> spending = client(client);
        return spending.filter(Spending::isSpent).map(Spending::reset);
    }

    /** What the key of this fingerprint spent in the current window; empty without a key budget. */
    public Optional<Spending> key(String fingerprint) {
        return keyBudget.map(budget -> spending(budget, keyOwner(fingerprint)));
    }

    /** What the client of this name spent in the current window; empty without a client budget. */
    public Optional<Spending> client(String name) {
        return clientBudget.map(budget -> spending(budget, clientOwner(name)));
    }

    /**
     * The route's clients, by name, that spent some of their budget in the current window: also a
     * client whose every answer a fallback route served (behaviour.md §16), which the route's own
     * usage does not list, and, with a shared store, one only another node counted. For the status
     * surface: a count looked up per client token.
     */
    public List<String> clientsSpending() {
        if (clientBudget.isEmpty()) {
            return List.of();
        }
        LocalDate window = clientBudget.get().windowStart(clock.instant());
        return clientNames.get().stream().filter(name -> counts.spent(clientOwner(name), window) > 0).toList();
    }

    /** Whether the key cools because its budget is spent (its reason on the status surface). */
    public boolean keyCoolsForBudget(Key key) {
        return key(key.fingerprint()).filter(Spending::isSpent)
                .map(spending -> keys.coolingUntil(key, spending.reset())).orElse(false);
    }

    private Spending spending(Budget budget, String owner) {
        Instant now = clock.instant();
        return new Spending(budget, counts.spent(owner, budget.windowStart(now)), budget.reset(now));
    }

    private String keyOwner(String fingerprint) {
        return route + "|key|" + fingerprint;
    }

    private String clientOwner(String name) {
        return route + "|client|" + name;
    }

    /**
     * A budget as it stands.
     *
     * @param spent what was counted in the current window
     * @param reset when the current window ends
     */
    public record Spending(Budget budget, long spent, Instant reset) {

        /** Whether nothing is left of it until {@link #reset()}. */
        public boolean isSpent() {
            return spent >= budget.amount();
        }
    }
}
