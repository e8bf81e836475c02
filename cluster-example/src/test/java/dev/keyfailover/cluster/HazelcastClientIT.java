package dev.keyfailover.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.keyfailover.cluster.FakeOpenAi.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code KEYFAILOVER_HAZELCAST_CLIENT}: two deployments of the cluster WAR connect as clients to
 * a Hazelcast cluster that exists apart from them: one plain member started by this test, whose
 * class path holds Hazelcast and the JCache API but none of the proxy's classes, as a cluster
 * run by someone else would. The member stops, and comes back, in the last tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HazelcastClientIT {

    private static final List<String> KEYS = Arrays.asList(System.getenv("OPENAI_API_KEYS").split(","));

    private final String clusterName = "keyfailover-client-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final int memberPort = Node.clusterPorts().get(3);
    private HazelcastInstance member;
    private final List<Node> nodes = new ArrayList<>();
    private FakeOpenAi upstream;

    @BeforeAll
    void startTheClusterAndTwoClientNodes() throws Exception {
        assertThat(HazelcastClientIT.class.getClassLoader().getResource("dev/keyfailover/pool/JCacheKeyStateStore.class"))
                .as("the member does not have the proxy's classes").isNull();
        startMember();

        upstream = FakeOpenAi.shared().reset();
        Map<String, String> params = Map.of("keyfailover.hazelcastClient", "127.0.0.1:" + memberPort,
                "keyfailover.clusterName", clusterName);
        nodes.add(Node.start("X", params));
        nodes.add(Node.start("Y", params));
    }

    private void startMember() {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.getNetworkConfig().setPort(memberPort).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + memberPort);
        member = Hazelcast.newHazelcastInstance(config);
    }

    @AfterAll
    void stop() throws Exception {
        for (Node node : nodes) {
            node.stop();
        }
        if (member.getLifecycleService().isRunning()) {
            member.shutdown();
        }
    }

    private static int attempts(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue("X-Keyfailover-Attempts").orElse("-1"));
    }

    @Test
    @Order(1)
    void aKeyRevokedThroughOneClientIsSkippedByTheOther() throws Exception {
        upstream.reset().on(KEYS.get(0), Answer.REVOKED);

        HttpResponse<String> first = nodes.get(0).chat();
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(attempts(first)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(2)).until(() -> nodes.get(1).key(0).getString("state").equals("DISABLED"));
        HttpResponse<String> second = nodes.get(1).chat();

        assertThat(attempts(second)).isEqualTo(1);
        assertThat(upstream.attemptsWith(KEYS.get(0))).isEqualTo(1);
        for (Node node : nodes) {
            assertThat(node.statusText()).contains(
                    "\"stateStore\":{\"kind\":\"jcache keyfailover-state\",\"reachable\":true}");
        }
    }

    @Test
    @Order(2)
    void withTheClusterGoneANodeUsesItsOwnStatesAndSaysSo() throws Exception {
        member.shutdown();
        upstream.reset().on(KEYS.get(1), Answer.RATE_LIMITED);

        for (Node node : nodes) {
            HttpResponse<String> response = node.chat();
            assertThat(response.statusCode()).as("%s", node).isEqualTo(200);
            assertThat(attempts(response)).as("%s: the 429, then the third key", node).isEqualTo(2);
            assertThat(node.openAiStoreReachable()).as("%s says its key states are its own", node).isFalse();
            assertThat(node.coolsForTheModel(1)).as("%s marked the key itself", node).isTrue();
        }
        // Each node spent its own 429: nothing is shared while the cluster is away.
        assertThat(upstream.attemptsWith(KEYS.get(1))).isEqualTo(2);
        assertThat(upstream.attemptsWith(KEYS.get(0))).as("the revoked key stays off on both").isZero();
    }

    @Test
    @Order(3)
    void whenTheClusterIsBackTheNodesShareAgain() throws Exception {
        startMember();
        upstream.reset().on(KEYS.get(1), Answer.RATE_LIMITED);
        AtomicInteger round = new AtomicInteger();

        // The clients reconnect by themselves. Each round on X marks the second key for a model of its own,
        // which is a call to the cache (tried again a second after the last one failed).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            nodes.get(0).chat("gpt-round-" + round.incrementAndGet());
            return nodes.get(0).openAiStoreReachable();
        });
        // Y marked nothing since the cluster came back: its status page finds the store answering by itself.
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.get(1).openAiStoreReachable());
        String model = "gpt-round-" + round.get();
        await().atMost(Duration.ofSeconds(2)).until(() -> nodes.get(1).coolsFor(1, model));
        HttpResponse<String> response = nodes.get(1).chat(model);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(attempts(response)).as("Y skips the key X saw limited").isEqualTo(1);
        assertThat(upstream.attemptsWith(KEYS.get(1))).as("one 429 per round, all through X").isEqualTo(round.get());
    }
}
