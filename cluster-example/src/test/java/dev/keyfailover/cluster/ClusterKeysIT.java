package dev.keyfailover.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
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
 * behaviour.md §14 across nodes, over HTTP: the packaged cluster WAR deployed three times (embedded
 * Hazelcast members joined by a member list, as {@link ClusterWarIT}), with the run's
 * {@code KEYFAILOVER_ADMIN_TOKEN} and {@code KEYFAILOVER_KEYS_SECRET}. Keys added, disabled and
 * removed through one node's admin API reach the others within a second, a node restarted later
 * lists the same keys, and the cache never holds a key in clear. The tests run in order on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterKeysIT {

    private static final List<String> KEYS = Arrays.asList(System.getenv("OPENAI_API_KEYS").split(","));
    private static final String NEW = "sk-cluster-it-added-at-run-time-0004";
    private static final String LATER = "sk-cluster-it-added-later-000000005";
    private static final Duration WITHIN = Duration.ofSeconds(1);

    private final String clusterName = "keyfailover-keys-it-" + UUID.randomUUID().toString().substring(0, 8);
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
            nodes.add(Node.start(String.valueOf((char) ('A' + i)), clusterParams(ports.get(i))));
        }
        for (Node node : nodes) {
            node.adminKeys(); // the admin servlet is up before a test times a change
        }
    }

    @AfterAll
    void stopNodes() throws Exception {
        for (Node node : nodes) {
            node.stop();
        }
    }

    private static String fingerprint(String key) throws Exception {
        return digest(key).substring(0, 16);
    }

    private static String digest(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** Waits at most a second from the admin's answer; prints how long it took. */
    private static void reachedWithinASecond(String what, HttpResponse<String> answer, Callable<Boolean> everywhere) {
        assertThat(answer.statusCode()).as("%s: %s", what, answer.body()).isEqualTo(200);
        long answered = System.nanoTime();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(5)).until(everywhere);
        System.out.printf("%s reached the other nodes in %.0f ms%n", what, (System.nanoTime() - answered) / 1e6);
    }

    @Test
    @Order(1)
    void anAddOnOneNodeIsListedAndServedByTheOthersWithinASecond() throws Exception {
        String added = fingerprint(NEW);

        HttpResponse<String> answer = nodes.get(0).admin("POST", "keys", "{\"keys\":[{\"key\":\"" + NEW + "\"}]}");

        reachedWithinASecond("an add on A", answer,
                () -> nodes.get(1).adminKeys().contains(added) && nodes.get(2).adminKeys().contains(added));
        // Served too: with the three deploy keys rate-limited, B and C get their answers from the new key.
        upstream.reset().on(KEYS.get(0), Answer.RATE_LIMITED).on(KEYS.get(1), Answer.RATE_LIMITED)
                .on(KEYS.get(2), Answer.RATE_LIMITED);
        assertThat(nodes.get(1).chat().statusCode()).isEqualTo(200);
        assertThat(nodes.get(2).chat("gpt-cluster-it-other").statusCode()).isEqualTo(200);
        assertThat(upstream.keysSeen()).contains(NEW);
    }

    @Test
    @Order(2)
    void aDisableOnOneNodeStopsTheOthersUsingTheKeyWithinASecond() throws Exception {
        String disabled = fingerprint(NEW) + " disabled";

        HttpResponse<String> answer = nodes.get(1).admin("POST", "keys/" + fingerprint(NEW) + "/disable", null);

        reachedWithinASecond("a disable on B", answer,
                () -> nodes.get(0).adminKeys().contains(disabled) && nodes.get(2).adminKeys().contains(disabled));
        upstream.reset();
        HttpResponse<String> refused = nodes.get(2).chat("gpt-cluster-it-third");
        assertThat(upstream.keysSeen()).as("C does not use the disabled key (%s)", refused.statusCode())
                .doesNotContain(NEW);
    }

    @Test
    @Order(3)
    void aRemoveOnOneNodeTakesTheKeyOffTheOthersWithinASecond() throws Exception {
        String removed = fingerprint(NEW);

        HttpResponse<String> answer = nodes.get(2).admin("DELETE", "keys/" + removed, null);

        reachedWithinASecond("a remove on C", answer, () -> nodes.get(0).adminKeys().stream()
                .noneMatch(key -> key.startsWith(removed)) && nodes.get(1).adminKeys().stream()
                .noneMatch(key -> key.startsWith(removed)));
    }

    @Test
    @Order(4)
    void aNodeRestartedAfterwardsListsTheSameKeys() throws Exception {
        assertThat(nodes.get(0).admin("POST", "keys", "{\"keys\":[{\"key\":\"" + LATER + "\"}]}").statusCode())
                .isEqualTo(200);
        assertThat(nodes.get(0).admin("POST", "keys/" + fingerprint(KEYS.get(1)) + "/disable", null).statusCode())
                .isEqualTo(200);
        await().atMost(WITHIN).until(() -> nodes.get(2).adminKeys().equals(nodes.get(0).adminKeys()));
        nodes.get(2).stop();

        nodes.set(2, Node.start("C'", clusterParams(ports.get(2))));

        List<String> listed = nodes.get(2).adminKeys();
        String removed = fingerprint(NEW);
        assertThat(listed).isEqualTo(nodes.get(0).adminKeys()).isEqualTo(nodes.get(1).adminKeys())
                .contains(fingerprint(LATER), fingerprint(KEYS.get(1)) + " disabled")
                .noneMatch(key -> key.startsWith(removed));
    }

    @Test
    @Order(5)
    void theCacheNeverHoldsAKeyInClear() throws Exception {
        String entries = nodes.get(1).stateCacheText();

        assertThat(entries).contains("keyfailover-keys|openai=").contains(digest(LATER));
        for (String key : List.of(NEW, LATER, KEYS.get(0), KEYS.get(1), KEYS.get(2))) {
            assertThat(entries).as("the cache's entries").doesNotContain(key);
        }
        assertThat(entries).doesNotContain(System.getenv("KEYFAILOVER_KEYS_SECRET"));
    }

    @Test
    @Order(6)
    void anEnableOnOneNodePutsTheKeyBackInServiceOnTheOthersWithinASecond() throws Exception {
        String enabled = fingerprint(KEYS.get(1));

        HttpResponse<String> answer = nodes.get(2).admin("POST", "keys/" + enabled + "/enable", null);

        reachedWithinASecond("an enable on C'", answer,
                () -> nodes.get(0).adminKeys().contains(enabled) && nodes.get(1).adminKeys().contains(enabled));
        upstream.reset().on(KEYS.get(0), Answer.RATE_LIMITED);
        assertThat(nodes.get(0).chat("gpt-cluster-it-enabled").statusCode()).isEqualTo(200);
        assertThat(upstream.keysSeen()).as("A serves with the key enabled on C'")
                .containsExactly(KEYS.get(0), KEYS.get(1));
    }
}
