package dev.keyfailover.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.keyfailover.cluster.FakeOpenAi.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged cluster WAR deployed three times in this JVM, each deployment on a Jetty of its own
 * with an embedded Hazelcast member on 127.0.0.1 (ports reserved by the build), joined by a TCP-IP
 * member list given as context init params; the three openai routes share one fake upstream and
 * one pool of three keys (the failsafe run's environment). The tests run in order on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterWarIT {

    private static final List<String> KEYS = Arrays.asList(System.getenv("OPENAI_API_KEYS").split(","));
    private static final String K1 = KEYS.get(0);
    private static final String K2 = KEYS.get(1);
    /** A model no earlier test cooled a key for. */
    private static final String OTHER_MODEL = "gpt-cluster-it-reset";
    private static final String SHARED_STORE = "\"stateStore\":{\"kind\":\"jcache keyfailover-state\",\"reachable\":true}";

    private final String clusterName = "keyfailover-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Integer> ports = Node.clusterPorts().subList(0, 3);
    private final List<Node> nodes = new ArrayList<>();
    private FakeOpenAi upstream;

    private Map<String, String> clusterParams(int port) {
        Map<String, String> params = new HashMap<>();
        params.put("keyfailover.clusterMembers",
                ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
        params.put("keyfailover.clusterPort", String.valueOf(port));
        params.put("keyfailover.clusterName", clusterName);
        return params;
    }

    @BeforeAll
    void startThreeNodes() throws Exception {
        upstream = FakeOpenAi.shared().reset();
        for (int i = 0; i < 3; i++) {
            // One after another, as an operator would: each member joins the ones already up.
            nodes.add(Node.start(String.valueOf((char) ('A' + i)), clusterParams(ports.get(i))));
        }
        for (Node node : nodes) {
            node.statusText(); // the status servlet starts on its first request: not while the test times a mark
        }
    }

    @AfterAll
    void stopNodes() throws Exception {
        for (Node node : nodes) {
            node.stop();
        }
    }

    private static int attempts(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue("X-Keyfailover-Attempts").orElse("-1"));
    }

    @Test
    @Order(1)
    void a429OnOneNodeKeepsTheOtherNodesOffThatKey() throws Exception {
        upstream.reset().on(K1, Answer.RATE_LIMITED);

        HttpResponse<String> first = nodes.get(0).chat();
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(attempts(first)).as("the 429, then the second key").isEqualTo(2);
        long marked = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> nodes.get(1).coolsForTheModel(0) && nodes.get(2).coolsForTheModel(0));
        System.out.printf("the 429 on node A reached nodes B and C (their /status.json) in %.0f ms%n",
                (System.nanoTime() - marked) / 1e6);

        for (Node node : nodes.subList(1, 3)) {
            HttpResponse<String> response = node.chat();
            assertThat(response.statusCode()).as("%s", node).isEqualTo(200);
            assertThat(attempts(response)).as("%s went straight to the second key", node).isEqualTo(1);
        }
        assertThat(upstream.attemptsWith(K1)).as("429s the upstream gave").isEqualTo(1);
        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K2, K2);
    }

    @Test
    @Order(2)
    void everyNodeSaysItsKeyStatesAreShared() throws Exception {
        for (Node node : nodes) {
            String status = node.statusText();
            // Every route (openai, anthropic, gemini) of each node is on the cluster's cache.
            assertThat(status.split(java.util.regex.Pattern.quote(SHARED_STORE), -1)).as("%s: %s", node, status)
                    .hasSize(4);
        }
    }

    @Test
    @Order(3)
    void aNodeThatRestartsStartsWithTheClustersKeyStates() throws Exception {
        nodes.get(0).stop();
        upstream.reset();
        assertThat(nodes.get(1).coolsForTheModel(0)).as("the mark outlives the member that made it").isTrue();

        nodes.set(0, Node.start("A'", clusterParams(ports.get(0))));

        assertThat(nodes.get(0).coolsForTheModel(0)).as("read from the cluster at start").isTrue();
        HttpResponse<String> response = nodes.get(0).chat();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(attempts(response)).isEqualTo(1);
        assertThat(upstream.keysSeen()).containsExactly(K2);
        assertThat(nodes.get(0).statusText()).contains(SHARED_STORE);
    }

    @Test
    @Order(4)
    void aBadMemberListStopsTheDeploymentWithAClearMessage() {
        Map<String, String> params = clusterParams(Node.clusterPorts().get(3));
        params.put("keyfailover.clusterMembers", "127.0.0.1:" + ports.get(0) + ",not-a-member");

        assertThatThrownBy(() -> Node.start("bad", params)).satisfies(failure -> assertThat(messages(failure))
                .contains("keyfailover cluster: context param keyfailover.clusterMembers: 'not-a-member' is not "
                        + "host:port (e.g. 10.0.0.1:5701)"));
    }

    @Test
    @Order(5)
    void aClusterPortInUseStopsTheDeploymentWithAClearMessage() {
        int taken = ports.get(1);

        assertThatThrownBy(() -> Node.start("clash", clusterParams(taken))).satisfies(failure ->
                assertThat(messages(failure)).contains("keyfailover cluster: cannot start the Hazelcast member on port "
                        + taken));
    }

    @Test
    @Order(6)
    void anAdministratorsResetOnOneNodeBringsTheKeyBackOnEveryNode() throws Exception {
        upstream.reset().on(K1, Answer.REVOKED);
        assertThat(attempts(nodes.get(0).chat(OTHER_MODEL))).as("the 401, then the second key").isEqualTo(2);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> nodes.get(2).key(0).getString("state").equals("DISABLED"));
        upstream.reset();

        HttpResponse<String> reset = nodes.get(1).resetKey(0);

        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> nodes.get(0).key(0).getString("state").equals("VALID")
                        && nodes.get(2).key(0).getString("state").equals("VALID"));
        for (Node node : List.of(nodes.get(0), nodes.get(2))) {
            HttpResponse<String> response = node.chat(OTHER_MODEL);
            assertThat(attempts(response)).as("%s went straight to the first key", node).isEqualTo(1);
        }
        assertThat(upstream.keysSeen()).containsExactly(K1, K1);
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                all.append(suppressed).append('\n');
            }
        }
        return all.toString();
    }
}
