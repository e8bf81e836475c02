package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.cache.Cache;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.testing.ClusterMember;
import dev.keyfailover.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * behaviour.md §12 under real contention: two Hazelcast members on loopback, one store and one
 * pool on each. In each round every thread (several per node) marks the same key in the same
 * scope at once behind a barrier, each asking for a later cooldown than any mark before it, so
 * several writes race and the cache's last word is the latest deadline. After each round no node
 * may hold a stale view: each view equals what the cache holds, the state with the highest version.
 * (A node that adopted its own write's result without comparing versions fails here within a few
 * rounds: an event of a newer write had already arrived.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JCacheStoreContentionTest {

    private static final List<String> SECRETS = List.of("sk-contended-first-key-000000001",
            "sk-contended-second-key-00000002");
    private static final int THREADS_PER_NODE = 4;
    private static final int ROUNDS = 60;

    private final MutableClock clock = MutableClock.atFixedStart();
    private List<ClusterMember> members;
    private final List<JCacheKeyStateStore> stores = new ArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);

    @BeforeAll
    void startCluster() throws Exception {
        members = ClusterMember.startCluster(2);
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

    private KeyPool poolOn(ClusterMember member, String cacheName) {
        // A timeout no mark reaches on loopback: a fall-back to the node's own view is not what is tested.
        JCacheKeyStateStore store = JCacheKeyStateStore.open(member.cacheManager(), cacheName, Duration.ofSeconds(10));
        stores.add(store);
        return new KeyPool("contended", SECRETS, clock, PoolSettings.defaults(), clock::advance, store);
    }

    @Test
    void afterConcurrentMarksOfOneKeyOnTwoMembersEveryNodeHoldsTheStoredState() throws Exception {
        String cacheName = "contention-" + UUID.randomUUID();
        List<KeyPool> nodes = List.of(poolOn(members.get(0), cacheName), poolOn(members.get(1), cacheName));
        Cache<String, String> cache = members.get(0).cacheManager().getCache(cacheName, String.class, String.class);
        String entry = "contended|" + JCacheKeyStateStore.fingerprint(SECRETS.get(0)) + "|" + Key.ANY_MODEL;

        int threadCount = nodes.size() * THREADS_PER_NODE;
        for (int round = 0; round < ROUNDS; round++) {
            // Every thread marks once, all at once; every mark is later than the last round's.
            long base = 10 + (long) round * threadCount;
            CyclicBarrier gate = new CyclicBarrier(threadCount);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                KeyPool pool = nodes.get(t % nodes.size());
                Duration wait = Duration.ofSeconds(base + t);
                running.add(threads.submit(() -> {
                    KeyWalk walk = pool.walk(null);
                    Key key = pool.keys().get(0);
                    gate.await(10, TimeUnit.SECONDS);
                    walk.record(key, 429, KeyVerdict.coolDown(wait));
                    return null;
                }));
            }
            for (Future<?> thread : running) {
                thread.get(30, TimeUnit.SECONDS);
            }

            Instant latest = clock.instant().plusSeconds(base + threadCount - 1);
            assertThat(untilInStore(cache.get(entry))).as("round %d: the cache keeps the latest deadline", round)
                    .isEqualTo(latest);
            // Events travel asynchronously; once they are in, a stale view would stay stale.
            int checked = round;
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
                for (int node = 0; node < nodes.size(); node++) {
                    KeyStatus view = nodes.get(node).keys().get(0).status();
                    assertThat(view.until()).as("round %d: node %d's view of the key", checked, node)
                            .isEqualTo(latest);
                }
            });
        }
        for (KeyPool node : nodes) {
            assertThat(node.store().reachable()).as("no node fell back to its own view").isTrue();
        }
    }

    @Test
    void aMarkThatKeepsLosingTheRaceGivesWayToTheOthersAndTheStoreStillCountsAsAnswering() {
        String cacheName = "contention-" + UUID.randomUUID();
        KeyPool pool = poolOn(members.get(0), cacheName);
        Cache<String, String> cache = members.get(1).cacheManager().getCache(cacheName, String.class, String.class);
        String entry = "contended|" + JCacheKeyStateStore.fingerprint(SECRETS.get(0)) + "|" + Key.ANY_MODEL;
        Key key = pool.keys().get(0);
        AtomicLong otherWrites = new AtomicLong();

        KeyStates.Transition mark = pool.store().statesOf("contended", key).update(Key.ANY_MODEL, current -> {
            // Another node writes between this mark's read and its write, every time.
            long write = otherWrites.incrementAndGet();
            cache.put(entry, new StoredStatus(KeyStatus.cooling(clock.instant().plusSeconds(write)), write).line());
            return KeyStatus.suspended(KeyState.DISABLED, null, null);
        });

        assertThat(mark.changed()).as("no transition reported by the mark that gave way").isFalse();
        assertThat(otherWrites).hasValue(SharedKeyStates.CAS_ATTEMPTS);
        assertThat(pool.store().reachable()).as("contention is not a store that does not answer").isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(key.status())
                .isEqualTo(KeyStatus.cooling(clock.instant().plusSeconds(SharedKeyStates.CAS_ATTEMPTS))));
    }

    /** The deadline in a stored line: its second field, whatever else the line holds. */
    private static Instant untilInStore(String line) {
        return Instant.ofEpochMilli(Long.parseLong(line.split(";")[1]));
    }
}
