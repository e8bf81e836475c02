package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.keyfailover.testing.ClusterMember;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * behaviour.md §12, as an operator starts nodes: one after another, each member joining the ones
 * already up after their routes made the state cache and its listener. Starting says nothing
 * alarming, and the cache's events reach both nodes.
 */
class ClusterJoinTest {

    private static final String K1 = "sk-joined-first-key-000000000001";
    private static final String K2 = "sk-joined-second-key-00000000002";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private final List<ClusterMember> members = new ArrayList<>();
    private final List<ProxyServer> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (ProxyServer node : nodes) {
            node.close();
        }
        members.forEach(ClusterMember::close);
        upstream.close();
    }

    private void nodeOn(ClusterMember member) throws Exception {
        members.add(member);
        nodes.add(ProxyServer.servlet(Map.of("provider", "openai", "name", "joined", "baseUrl",
                upstream.baseUri().toString(), "keys", K1 + "," + K2, "stateStore", "jcache", "stateStoreTimeout", "2s"),
                null, Map.of(StateStores.CACHE_MANAGER_ATTRIBUTE, member.cacheManager())));
    }

    private int post(int node, String model) throws Exception {
        return client.send(HttpRequest.newBuilder(nodes.get(node).uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private boolean firstKeyCools(int node, String model) {
        return nodes.get(node).route().pool().snapshot().get(0).models().stream()
                .anyMatch(cooling -> cooling.model().equals(model) && !cooling.cooldownRemaining().isZero());
    }

    @Test
    void aMemberThatJoinsLaterLogsNoListenerErrorAndBothNodesHearTheOthersMarks() throws Exception {
        ClusterMember.Plan plan = ClusterMember.plan(2);
        CapturedLogs.clear();
        nodeOn(plan.start(0));
        nodeOn(plan.start(1));
        upstream.on(K1, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.ok("{}"));

        assertThat(post(1, "gpt-from-the-joiner")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).until(() -> firstKeyCools(0, "gpt-from-the-joiner"));
        assertThat(post(0, "gpt-from-the-first")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).until(() -> firstKeyCools(1, "gpt-from-the-first"));

        List<CapturedLogs.Event> alarming = CapturedLogs.events().stream()
                .filter(event -> event.level().toInt() >= Level.WARN.toInt())
                .filter(event -> event.logger().startsWith("com.hazelcast.cache") || event.text().contains("only once"))
                .toList();
        assertThat(alarming).as("warnings and errors of Hazelcast's cache service while two members start").isEmpty();
    }
}
