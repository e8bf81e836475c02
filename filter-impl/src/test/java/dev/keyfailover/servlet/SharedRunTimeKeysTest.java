package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.cache.Cache;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.testing.ClusterMember;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * behaviour.md §14 (across nodes): two proxy nodes, each on its own real Hazelcast member on
 * loopback, share one route's run-time key changes through the state cache. Each test uses a route
 * name of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedRunTimeKeysTest {

    private static final String SECRET = "keys-secret-0123456789abcdef0123456789";
    private static final String K1 = "sk-shared-deploy-key-000000000001";
    private static final String K2 = "sk-shared-deploy-key-000000000002";
    private static final String NEW = "sk-shared-added-at-run-time-00003";
    private static final String BEARER = "Bearer " + ProxyServer.ADMIN_TOKEN;
    private static final AtomicInteger ROUTES = new AtomicInteger();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private List<ClusterMember> members;
    private final FakeUpstream upstream = FakeUpstream.start().otherwise(FakeUpstream.ok("{}"));
    private final List<ProxyServer> nodes = new ArrayList<>();
    private String route;

    @BeforeAll
    void startCluster() throws Exception {
        members = ClusterMember.startCluster(2);
    }

    @AfterAll
    void stopCluster() {
        upstream.close();
        members.forEach(ClusterMember::close);
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (ProxyServer node : nodes) {
            node.close();
        }
        nodes.clear();
        String everything = CapturedLogs.allText() + storeText();
        assertThat(everything).as("no log line or store entry holds a key or the secret")
                .doesNotContain(NEW).doesNotContain(K2).doesNotContain(SECRET);
    }

    private ProxyServer node(int member, String... more) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("provider", "openai", "name", route,
                "baseUrl", upstream.baseUri().toString(), "keys", K1 + "," + K2, "stateStore", "jcache",
                "stateStoreTimeout", "2s"));
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        ProxyServer node = ProxyServer.servlet(params, null,
                Map.of(StateStores.CACHE_MANAGER_ATTRIBUTE, members.get(member).cacheManager()));
        nodes.add(node);
        return node;
    }

    private void twoNodes(String... more) throws Exception {
        CapturedLogs.clear();
        route = "run-time-" + ROUTES.incrementAndGet();
        node(0, more);
        node(1, more);
    }

    private HttpResponse<String> send(ProxyServer node, String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(node.uri("/app/admin/" + path + "?route=" + route))
                .header("Authorization", BEARER).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> fingerprints(ProxyServer node) {
        return node.route().pool().keys().stream().map(Key::fingerprint).toList();
    }

    private static boolean disabled(ProxyServer node, String key) {
        return node.route().pool().find(KeyFingerprint.of(key)).orElseThrow().membership().isAdminDisabled();
    }

    private String storeText() {
        StringBuilder text = new StringBuilder();
        Cache<String, String> cache = members.get(0).cacheManager().getCache("keyfailover-state", String.class,
                String.class);
        if (cache != null) {
            cache.forEach(entry -> text.append(entry.getKey()).append('=').append(entry.getValue()).append('\n'));
        }
        return text.toString();
    }

    @Test
    void anAddDisableAndRemoveOnOneNodeReachTheOtherWithinASecond() throws Exception {
        twoNodes("keysSecret", SECRET);
        String added = KeyFingerprint.of(NEW);

        HttpResponse<String> add = send(nodes.get(0), "POST", "keys", "{\"keys\":[{\"key\":\"" + NEW
                + "\",\"label\":\"team b\"}]}");
        long answered = System.nanoTime();
        assertThat(add.statusCode()).as(add.body()).isEqualTo(200);
        assertThat(AdminKeysServlet.object(add.body()).getBoolean("shared")).isTrue();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
                .until(() -> fingerprints(nodes.get(1)).contains(added));
        System.out.printf("an add on node 0 reached node 1 in %.0f ms%n", (System.nanoTime() - answered) / 1e6);
        assertThat(fingerprints(nodes.get(0))).containsExactlyElementsOf(fingerprints(nodes.get(1)));
        assertThat(nodes.get(1).route().pool().find(added).orElseThrow().membership().label()).isEqualTo("team b");

        assertThat(send(nodes.get(1), "POST", "keys/" + KeyFingerprint.of(K1) + "/disable", null).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(() -> disabled(nodes.get(0), K1));
        assertThat(send(nodes.get(0), "POST", "keys/" + KeyFingerprint.of(K1) + "/enable", null).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(() -> !disabled(nodes.get(1), K1));

        assertThat(send(nodes.get(1), "DELETE", "keys/" + added, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
                .until(() -> !fingerprints(nodes.get(0)).contains(added));
        assertThat(send(nodes.get(0), "DELETE", "keys/" + KeyFingerprint.of(K1), null).statusCode())
                .as("a deploy key is never removed").isEqualTo(409);
        assertThat(storeText()).contains(KeyFingerprint.digest(NEW));
    }

    @Test
    void aNodeThatStartsLaterTakesTheClustersRunTimeKeys() throws Exception {
        twoNodes("keysSecret", SECRET);
        assertThat(send(nodes.get(0), "POST", "keys", "{\"keys\":[{\"key\":\"" + NEW + "\"}]}").statusCode())
                .isEqualTo(200);
        assertThat(send(nodes.get(0), "DELETE", "keys/" + KeyFingerprint.of(K2), null).statusCode())
                .as("deploy keys are never removed").isEqualTo(409);
        assertThat(send(nodes.get(0), "POST", "keys/" + KeyFingerprint.of(K2) + "/disable", null).statusCode())
                .isEqualTo(200);
        nodes.remove(1).close();

        ProxyServer restarted = node(1, "keysSecret", SECRET);

        assertThat(fingerprints(restarted)).containsExactlyElementsOf(fingerprints(nodes.get(0)))
                .contains(KeyFingerprint.of(NEW));
        assertThat(disabled(restarted, K2)).isTrue();
    }

    @Test
    void withoutKeysSecretAnAddIsRefusedNamingItWhileDisableStillTravels() throws Exception {
        twoNodes();

        HttpResponse<String> add = send(nodes.get(0), "POST", "keys", "{\"keys\":[{\"key\":\"" + NEW + "\"}]}");

        assertThat(add.statusCode()).isEqualTo(409);
        assertThat(add.body()).contains("keysSecret");
        assertThat(CapturedLogs.allText()).contains("refused (409").contains("keysSecret");
        assertThat(fingerprints(nodes.get(0))).doesNotContain(KeyFingerprint.of(NEW));
        assertThat(send(nodes.get(0), "POST", "keys/" + KeyFingerprint.of(K2) + "/disable", null).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(() -> disabled(nodes.get(1), K2));
    }

    @Test
    void aNodeWithAnotherSecretLogsTheFingerprintLeavesTheKeyOutAndKeepsServing() throws Exception {
        CapturedLogs.clear();
        route = "run-time-" + ROUTES.incrementAndGet();
        node(0, "keysSecret", SECRET);
        ProxyServer other = node(1, "keysSecret", "another-secret-0123456789abcdef012345");

        assertThat(send(nodes.get(0), "POST", "keys", "{\"keys\":[{\"key\":\"" + NEW + "\"}]}").statusCode())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(1)).until(() -> CapturedLogs.allText()
                .contains("the run-time key " + KeyFingerprint.of(NEW) + " cannot be decrypted"));
        assertThat(fingerprints(other)).doesNotContain(KeyFingerprint.of(NEW)).hasSize(2);
        HttpResponse<String> served = client.send(HttpRequest.newBuilder(other.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
    }
}
