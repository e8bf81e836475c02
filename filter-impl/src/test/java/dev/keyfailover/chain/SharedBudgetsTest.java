package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.keyfailover.pool.JCacheKeyStateStore;
import dev.keyfailover.pool.KeyId;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.pool.Sleeper;
import dev.keyfailover.settings.AccessSettings;
import dev.keyfailover.settings.Budget;
import dev.keyfailover.settings.ClientToken;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.settings.UsageSettings;
import dev.keyfailover.testing.ClusterMember;
import dev.keyfailover.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * behaviour.md §12 and §16 on three Hazelcast members on loopback, one route on each: threads on
 * every member spend one key's and one client's budget at once, behind a barrier; the counts in the
 * cache are the exact sums (no addition lost to a race), the key cools once in the cluster, and a
 * route started afterwards sees the spent budgets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedBudgetsTest {

    private static final List<String> SECRETS = List.of("sk-budgeted-first-key-0000000001",
            "sk-budgeted-second-key-000000002");
    private static final int THREADS_PER_MEMBER = 4;
    private static final int ANSWERS_PER_THREAD = 25;
    private static final int TOKENS_PER_ANSWER = 7;
    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOON);
    private final AtomicInteger spentEvents = new AtomicInteger();
    private final FailoverEvents events = new FailoverEvents() {
        @Override
        public void keyBudgetSpent(KeyId key, String budget, Instant reset) {
            spentEvents.incrementAndGet();
        }
    };
    private List<ClusterMember> members;
    private final List<JCacheKeyStateStore> stores = new ArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(3 * THREADS_PER_MEMBER);

    @BeforeAll
    void startCluster() throws Exception {
        members = ClusterMember.startCluster(3);
    }

    @AfterAll
    void stopCluster() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        members.forEach(ClusterMember::close);
    }

    @AfterEach
    void closeStores() {
        stores.forEach(JCacheKeyStateStore::close);
        stores.clear();
    }

    /** A route on the member: its pool and budgets on the shared cache. */
    private record Route(KeyPool pool, Budgets budgets) {
    }

    private Route routeOn(ClusterMember member, String cacheName) {
        // A timeout no addition reaches on loopback: a fall-back to the node's own count is not what is tested.
        JCacheKeyStateStore store = JCacheKeyStateStore.open(member.cacheManager(), cacheName, Duration.ofSeconds(10));
        stores.add(store);
        KeyPool pool = new KeyPool("budgeted", SECRETS, clock, PoolSettings.defaults(), Sleeper.THREAD, store);
        UsageSettings usage = new UsageSettings(UsageSettings.StreamUsage.INJECT, 100,
                Optional.of(Budget.parse("1000 tokens per day")), Optional.of(Budget.parse("100 requests per day")));
        ClientAccess access = ClientAccess.of("budgeted", new AccessSettings(Stream.of("alice", "bob")
                .map(name -> new ClientToken(name, ClientToken.sha256("tok-" + name), Set.of())).toList(),
                AccessSettings.Byok.DENY, Optional.empty(), 20, List.of()), clock);
        return new Route(pool, Budgets.of("budgeted", usage, pool, store.budgetCounts(), clock, events, access));
    }

    @Test
    void threeMembersSpendingOneBudgetAtOnceCountEveryAnswerExactly() throws Exception {
        String cacheName = "budgets-" + UUID.randomUUID();
        List<Route> routes = members.stream().map(member -> routeOn(member, cacheName)).toList();
        String fingerprint = routes.get(0).pool().keys().get(0).fingerprint();

        int threadCount = routes.size() * THREADS_PER_MEMBER;
        CyclicBarrier gate = new CyclicBarrier(threadCount);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            Route route = routes.get(t % routes.size());
            running.add(threads.submit(() -> {
                KeyId key = route.pool().keys().get(0).id();
                gate.await(10, TimeUnit.SECONDS);
                for (int i = 0; i < ANSWERS_PER_THREAD; i++) {
                    route.budgets().clientAnswered(Optional.of("alice"), TOKENS_PER_ANSWER);
                    route.budgets().keyAnswered(key, TOKENS_PER_ANSWER);
                }
                return null;
            }));
        }
        for (Future<?> thread : running) {
            thread.get(60, TimeUnit.SECONDS);
        }

        long answers = (long) threadCount * ANSWERS_PER_THREAD; // 300: past both budgets
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (Route route : routes) {
                assertThat(route.budgets().key(fingerprint).orElseThrow().spent()).isEqualTo(answers * TOKENS_PER_ANSWER);
                assertThat(route.budgets().client("alice").orElseThrow().spent()).isEqualTo(answers);
                assertThat(route.pool().keys().get(0).state(clock.instant())).isEqualTo(KeyState.COOLING);
            }
        });
        assertThat(spentEvents).as("the key's cooldown is set once in the cluster").hasValue(1);
        for (Route route : routes) {
            assertThat(route.pool().store().reachable()).as("no member fell back to its own count").isTrue();
        }

        closeStores(); // every route stops; the counts stay in the cache
        Route restarted = routeOn(members.get(2), cacheName);
        assertThat(restarted.budgets().key(fingerprint).orElseThrow().spent()).isEqualTo(answers * TOKENS_PER_ANSWER);
        assertThat(restarted.budgets().clientSpentUntil("alice")).contains(Instant.parse("2026-03-02T00:00:00Z"));
        // The status lists alice with the shared count, though this route counted none of her answers.
        assertThat(restarted.budgets().clientsSpending()).containsExactly("alice");
        assertThat(restarted.budgets().keyCoolsForBudget(restarted.pool().keys().get(0))).isTrue();
        assertThat(restarted.pool().walk(null).next()).isSameAs(restarted.pool().keys().get(1));
    }
}
