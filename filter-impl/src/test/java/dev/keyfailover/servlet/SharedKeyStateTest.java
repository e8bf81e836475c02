package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.cache.Cache;

import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.testing.ClusterMember;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * behaviour.md §12: three proxy nodes, each with its own real Hazelcast member on loopback, in
 * front of one fake upstream that counts attempts per key. One cluster serves the whole class;
 * each test uses a provider name of its own, so its keys' states are its own. The test that kills
 * a member runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedKeyStateTest {

    private static final String K1 = "sk-shared-first-key-00000000001";
    private static final String K2 = "sk-shared-second-key-0000000002";
    private static final String BODY = "{\"model\":\"gpt-test\",\"messages\":[]}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final MutableClock clock = MutableClock.atFixedStart();
    private List<ClusterMember> members;
    private FakeUpstream upstream;
    private final List<ProxyServer> nodes = new ArrayList<>();
    private static final AtomicInteger PROVIDERS = new AtomicInteger();

    @BeforeAll
    void startCluster() throws Exception {
        members = ClusterMember.startCluster(3);
    }

    @AfterAll
    void stopCluster() {
        members.forEach(ClusterMember::close);
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (ProxyServer node : nodes) {
            node.close();
        }
        nodes.clear();
        upstream.close();
    }

    /** Three nodes, one per member, each a route of the same provider with the keys K1, K2. */
    private void startNodes(String stateStore, String... more) throws Exception {
        upstream = FakeUpstream.start();
        String provider = "shared-" + PROVIDERS.incrementAndGet();
        for (ClusterMember member : members) {
            Map<String, String> params = new HashMap<>(Map.of("provider", "openai", "name", provider,
                    "baseUrl", upstream.baseUri().toString(), "keys", K1 + "," + K2, "stateStore", stateStore,
                    "stateStoreTimeout", "2s"));
            for (int i = 0; i < more.length; i += 2) {
                params.put(more[i], more[i + 1]);
            }
            nodes.add(ProxyServer.servlet(params, clock,
                    Map.of(StateStores.CACHE_MANAGER_ATTRIBUTE, member.cacheManager())));
        }
    }

    private int post(int node) throws Exception {
        return client.send(HttpRequest.newBuilder(nodes.get(node).uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private KeySnapshot firstKey(int node) {
        return nodes.get(node).route().pool().snapshot().get(0);
    }

    private static boolean coolsForTheModel(KeySnapshot key) {
        return key.models().stream().anyMatch(model -> model.model().equals("gpt-test")
                && !model.cooldownRemaining().isZero());
    }

    private long upstreamAttemptsWith(String key) {
        return upstream.keysSeen().stream().filter(key::equals).count();
    }

    @Test
    @Order(1)
    void aRateLimitSeenByOneNodeKeepsEveryOtherNodeOffThatKeyUntilTheCooldownEnds() throws Exception {
        startNodes("jcache");
        upstream.on(K1, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.ok("{}"));

        assertThat(post(0)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> coolsForTheModel(firstKey(1)) && coolsForTheModel(firstKey(2)));
        assertThat(post(1)).isEqualTo(200);
        assertThat(post(2)).isEqualTo(200);

        // One cooldown event, one 429 upstream, for three nodes.
        assertThat(upstreamAttemptsWith(K1)).isEqualTo(1);
        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K2, K2);

        clock.advance(Duration.ofSeconds(31));
        assertThat(post(1)).isEqualTo(200);
        assertThat(upstreamAttemptsWith(K1)).as("back on the first key after the cooldown").isEqualTo(2);
    }

    @Test
    @Order(2)
    void withLocalStateEveryNodeSpendsItsOwn429() throws Exception {
        startNodes("local");
        upstream.on(K1, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.ok("{}"));

        for (int node = 0; node < 3; node++) {
            assertThat(post(node)).isEqualTo(200);
        }

        assertThat(upstreamAttemptsWith(K1)).isEqualTo(3);
    }

    @Test
    @Order(3)
    void aKeyRevokedOnOneNodeIsDisabledOnTheOthersWithin100Milliseconds() throws Exception {
        startNodes("jcache");
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{}"));

        assertThat(post(1)).isEqualTo(200);
        long marked = System.nanoTime();
        await().atMost(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(2))
                .until(() -> firstKey(0).state() == KeyState.DISABLED && firstKey(2).state() == KeyState.DISABLED);
        System.out.printf("a 401 reached the other nodes in %.1f ms%n", (System.nanoTime() - marked) / 1e6);

        assertThat(post(0)).isEqualTo(200);
        assertThat(post(2)).isEqualTo(200);
        assertThat(upstreamAttemptsWith(K1)).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aDisabledKeyIsReCheckedByOneProbeInTheWholeCluster() throws Exception {
        startNodes("jcache");
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{}"));
        assertThat(post(0)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> firstKey(1).state() == KeyState.DISABLED
                && firstKey(2).state() == KeyState.DISABLED);
        FakeUpstream.Stall recovered = FakeUpstream.stall();
        upstream.on(K1, recovered);
        clock.advance(Duration.ofMinutes(15));

        CompletableFuture<Integer> probe = CompletableFuture.supplyAsync(() -> {
            try {
                return post(0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> recovered.held() == 1);
        await().atMost(Duration.ofSeconds(2)).until(() -> firstKey(1).state() == KeyState.DISABLED);
        // Due everywhere, but node 0 holds the probe: the others go to the second key meanwhile.
        assertThat(post(1)).isEqualTo(200);
        assertThat(post(2)).isEqualTo(200);
        recovered.release();

        assertThat(probe.get()).isEqualTo(200);
        assertThat(recovered.held()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> firstKey(1).state() == KeyState.VALID
                && firstKey(2).state() == KeyState.VALID);
    }

    @Test
    @Order(5)
    void aRestartedNodeStartsWithTheClustersKeyStates() throws Exception {
        startNodes("jcache");
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{}"));
        assertThat(post(0)).isEqualTo(200);
        Map<String, String> params = new HashMap<>(Map.of("provider", "openai",
                "name", nodes.get(1).route().provider().name(), "baseUrl", upstream.baseUri().toString(),
                "keys", K1 + "," + K2, "stateStore", "jcache", "stateStoreTimeout", "2s"));
        nodes.get(1).close();

        nodes.set(1, ProxyServer.servlet(params, clock,
                Map.of(StateStores.CACHE_MANAGER_ATTRIBUTE, members.get(1).cacheManager())));

        assertThat(firstKey(1).state()).as("read at start, not learnt from an event").isEqualTo(KeyState.DISABLED);
        assertThat(post(1)).isEqualTo(200);
        assertThat(upstreamAttemptsWith(K1)).isEqualTo(1);
    }

    @Test
    @Order(6)
    void noCacheEntryHoldsAWholeKey() throws Exception {
        startNodes("jcache");
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.rateLimited("30"));
        assertThat(post(0)).isEqualTo(429);

        Cache<String, String> cache = members.get(1).cacheManager().getCache("keyfailover-state", String.class,
                String.class);
        List<String> entries = new ArrayList<>();
        cache.forEach(entry -> entries.add(entry.getKey() + " = " + entry.getValue()));

        assertThat(entries).isNotEmpty().allSatisfy(entry -> {
            for (String key : List.of(K1, K2)) {
                assertThat(entry).doesNotContain(key).doesNotContain(key.substring(10, 22));
            }
        });
        assertThat(entries).anyMatch(entry -> entry.contains("DISABLED")).anyMatch(entry -> entry.contains("COOLING"));
        assertThat(nodes.get(2).route().stateStore().description()).isEqualTo("jcache keyfailover-state");
    }

    @Test
    @Order(7)
    void nodesKeepSharingAfterOtherNodesOnTheSameCacheLeave() throws Exception {
        startNodes("jcache");
        // Node 0 opened the cache first and registered the listener; the others' caches took it from
        // the cluster's configuration. Its leaving must not leave them deaf.
        nodes.remove(0).close();
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{}"));

        assertThat(post(0)).isEqualTo(200);

        await().atMost(Duration.ofSeconds(2)).until(() -> firstKey(1).state() == KeyState.DISABLED);
        assertThat(post(1)).isEqualTo(200);
        assertThat(upstreamAttemptsWith(K1)).isEqualTo(1);
    }

    @Test
    @Order(8)
    void killingAMemberMidRunLeavesEveryRequestWithExactlyOneAnswer() throws Exception {
        startNodes("jcache", "stateStoreTimeout", "50ms");
        upstream.on(K1, FakeUpstream.ok("{}")).on(K2, FakeUpstream.ok("{}"));
        ExecutorService clients = Executors.newFixedThreadPool(3);
        List<Integer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            int target = node;
            running.add(clients.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    sent.incrementAndGet();
                    answers.add(post(target));
                    if (target == 2 && i == 10) {
                        members.get(2).kill();
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get();
        }
        clients.shutdown();

        assertThat(answers).hasSize(sent.get()).hasSize(120).containsOnly(200);
        // The node whose member died marks its own keys and says so; the others still share.
        upstream.on(K1, FakeUpstream.status(401));
        assertThat(post(2)).isEqualTo(200);
        assertThat(nodes.get(2).route().stateStore().reachable()).isFalse();
        assertThat(firstKey(2).state()).isEqualTo(KeyState.DISABLED);
    }
}
