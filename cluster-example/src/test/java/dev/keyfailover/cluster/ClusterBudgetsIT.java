package dev.keyfailover.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docs/cluster.md "What is shared": the budgets' counts (behaviour.md §16) on two nodes of the
 * cluster WAR, as an operator sets them (context params {@code keyfailover.keyBudget},
 * {@code keyfailover.clientBudget}, {@code keyfailover.clientTokens}): the nodes spend one key's
 * and one client's budget together, and a restarted node finds them as spent as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBudgetsIT {

    private static final List<String> KEYS = Arrays.asList(System.getenv("OPENAI_API_KEYS").split(","));
    private static final String TOKEN = "cluster-it-client-token-team-0001";

    private final String clusterName = "keyfailover-budgets-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Integer> ports = Node.clusterPorts().subList(0, 2);
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeOpenAi upstream;

    private Map<String, String> params(int port) {
        Map<String, String> params = new HashMap<>();
        params.put("keyfailover.clusterMembers",
                ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
        params.put("keyfailover.clusterPort", String.valueOf(port));
        params.put("keyfailover.clusterName", clusterName);
        params.put("keyfailover.keyBudget", "2 requests per day");
        params.put("keyfailover.clientBudget", "4 requests per day");
        params.put("keyfailover.clientTokens", "team:" + TOKEN);
        return params;
    }

    @BeforeAll
    void startTwoNodes() throws Exception {
        upstream = FakeOpenAi.shared().reset();
        for (int i = 0; i < 2; i++) {
            nodes.add(Node.start(String.valueOf((char) ('A' + i)), params(ports.get(i))));
        }
        for (Node node : nodes) {
            node.statusText();
        }
    }

    @AfterAll
    void stopNodes() throws Exception {
        for (Node node : nodes) {
            node.stop();
        }
    }

    private HttpResponse<String> chat(Node node) throws Exception {
        return client.send(HttpRequest.newBuilder(node.uri("/openai/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + Node.MODEL + "\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code budget} of the openai route's key at {@code index}, as the node's /status.json shows it. */
    private static JsonObject keyBudget(Node node, int index) throws Exception {
        return node.key(index).getJsonObject("usage").getJsonObject("budget");
    }

    /** The {@code budget} of client {@code team} on the openai route, as the node's /status.json shows it. */
    private static JsonObject clientBudget(Node node) throws Exception {
        return node.openAiStatus().getJsonObject("clients").getJsonObject("team").getJsonObject("budget");
    }

    @Test
    @Order(1)
    void aKeysBudgetIsSpentByTheNodesTogether() throws Exception {
        assertThat(chat(nodes.get(0)).statusCode()).isEqualTo(200);
        assertThat(chat(nodes.get(1)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> keyBudget(nodes.get(0), 0).getBoolean("isSpent"));

        HttpResponse<String> third = chat(nodes.get(0));

        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(upstream.keysSeen()).as("one request each on A and B spent the first key's 2")
                .containsExactly(KEYS.get(0), KEYS.get(0), KEYS.get(1));
        assertThat(keyBudget(nodes.get(1), 0).getInt("spent")).isEqualTo(2);
        assertThat(nodes.get(1).key(0).getString("state")).isEqualTo("COOLING");
    }

    @Test
    @Order(2)
    void aClientsBudgetIsSpentByTheNodesTogether() throws Exception {
        assertThat(chat(nodes.get(1)).statusCode()).as("the client's fourth request").isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> clientBudget(nodes.get(0)).getBoolean("isSpent"));
        int sent = upstream.keysSeen().size();

        HttpResponse<String> refused = chat(nodes.get(0));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("team").doesNotContain(TOKEN);
        assertThat(upstream.keysSeen()).as("nothing went upstream").hasSize(sent);
    }

    @Test
    @Order(3)
    void aRestartedNodeFindsTheBudgetsAsSpentAsTheyWere() throws Exception {
        nodes.get(1).stop();
        nodes.set(1, Node.start("B'", params(ports.get(1))));
        int sent = upstream.keysSeen().size();

        HttpResponse<String> refused = chat(nodes.get(1));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(upstream.keysSeen()).hasSize(sent);
        assertThat(keyBudget(nodes.get(1), 0).getInt("spent")).isEqualTo(2);
        assertThat(keyBudget(nodes.get(1), 0).getBoolean("isSpent")).isTrue();
        assertThat(clientBudget(nodes.get(1)).getInt("spent")).isEqualTo(4);
    }
}
