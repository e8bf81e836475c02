package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * behaviour.md §14 (across nodes, persistence): two proxy nodes, each on its own real Hazelcast
 * member on loopback, share a {@code jcache} route whose keys come from a keys file. An admin's add
 * or remove on one node is written back to every writable keys file: each node's own, or the one
 * file both read from a shared volume. Each test uses a route name of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedKeysFileWriteBackTest {

    private static final String SECRET = "keys-secret-0123456789abcdef0123456789";
    private static final String K1 = "sk-file-written-back-key-000000001";
    private static final String K2 = "sk-file-written-back-key-000000002";
    private static final String NEW = "sk-file-written-back-added-000003";
    private static final String BEARER = "Bearer " + ProxyServer.ADMIN_TOKEN;
    private static final Duration PROPAGATION = Duration.ofSeconds(2);
    private static final AtomicInteger ROUTES = new AtomicInteger();

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start().otherwise(FakeUpstream.ok("{}"));
    private final List<ProxyServer> nodes = new ArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private List<ClusterMember> members;
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
        String everything = CapturedLogs.allText() + String.join("\n", answers) + storeText();
        for (String secret : List.of(K1, K2, NEW, SECRET)) {
            assertThat(everything).as("no log line, answer or store entry holds a key or the secret")
                    .doesNotContain(secret);
        }
        answers.clear();
    }

    private ProxyServer node(int member, Path keysFile) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("provider", "openai", "name", route,
                "baseUrl", upstream.baseUri().toString(), "keysFile", keysFile.toString(), "stateStore", "jcache",
                "stateStoreTimeout", "2s", "keysSecret", SECRET));
        ProxyServer node = ProxyServer.servlet(params, null,
                Map.of(StateStores.CACHE_MANAGER_ATTRIBUTE, members.get(member).cacheManager()));
        nodes.add(node);
        return node;
    }

    private Path file(String name) throws Exception {
        return Files.writeString(dir.resolve(name), K1 + "\n" + K2 + "\n");
    }

    private void newRoute() {
        CapturedLogs.clear();
        route = "written-back-" + ROUTES.incrementAndGet();
    }

    private JsonObject send(ProxyServer node, String method, String path, String body) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(node.uri("/app/admin/" + path + "?route="
                        + route)).header("Authorization", BEARER).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        answers.add(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return AdminKeysServlet.object(response.body());
    }

    private JsonObject add(ProxyServer node, String key) throws Exception {
        return send(node, "POST", "keys", "{\"keys\":[{\"key\":\"" + key + "\",\"label\":\"team b\"}]}");
    }

    private JsonObject remove(ProxyServer node, String key) throws Exception {
        return send(node, "DELETE", "keys/" + KeyFingerprint.of(key), null);
    }

    private static String text(String... keys) {
        return String.join("\n", keys) + "\n";
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file);
    }

    private static List<String> fingerprints(ProxyServer node) {
        return node.route().pool().keys().stream().map(Key::fingerprint).toList();
    }

    private static List<String> fingerprints(String... keys) {
        return java.util.Arrays.stream(keys).map(KeyFingerprint::of).toList();
    }

    private static String source(ProxyServer node, String key) {
        return node.route().pool().find(KeyFingerprint.of(key)).orElseThrow().membership().source().tag();
    }

    private Cache<String, String> cache() {
        return members.get(0).cacheManager().getCache("keyfailover-state", String.class, String.class);
    }

    private String storeText() {
        StringBuilder text = new StringBuilder();
        Cache<String, String> cache = cache();
        if (cache != null) {
            cache.forEach(entry -> text.append(entry.getKey()).append('=').append(entry.getValue()).append('\n'));
        }
        return text.toString();
    }

    /** The version of the route's run-time key list in the cluster: one per admin change. */
    private long clusterVersion() {
        String line = cache().get("keyfailover-keys|" + route);
        return Long.parseLong(line.substring(0, line.indexOf('\n')).replace("keyfailover-keys 1 ", "").trim());
    }

    private static long writesBack() {
        return CapturedLogs.allText().lines().filter(line -> line.contains("written back with the cluster's key changes"))
                .count();
    }

    @Test
    void anAddOnOneNodeIsWrittenToItsFileAndToTheOtherNodesFileOwnerOnly() throws Exception {
        newRoute();
        Path fileA = file("keys-a");
        Path fileB = file("keys-b");
        ProxyServer a = node(0, fileA);
        ProxyServer b = node(1, fileB);

        JsonObject added = add(a, NEW);
        long answered = System.nanoTime();

        assertThat(added.getBoolean("persisted")).isTrue();
        assertThat(added.getBoolean("shared")).isTrue();
        assertThat(read(fileA)).as("written before the answer").isEqualTo(text(K1, K2, NEW));
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(5)).until(() -> read(fileB).equals(text(K1, K2, NEW)));
        System.out.printf("an add on node A was in node B's keys file %.0f ms after A's answer%n",
                (System.nanoTime() - answered) / 1e6);
        for (Path file : List.of(fileA, fileB)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        await().atMost(PROPAGATION).until(() -> fingerprints(b).contains(KeyFingerprint.of(NEW)));
        assertThat(source(a, NEW)).isEqualTo("file");
        assertThat(a.route().pool().find(KeyFingerprint.of(NEW)).orElseThrow().membership().label()).isEqualTo("team b");
        assertThat(b.route().pool().find(KeyFingerprint.of(NEW)).orElseThrow().membership().label()).isEqualTo("team b");
        assertThat(CapturedLogs.allText()).contains("1 added, 0 duplicate(s), persisted true, shared true");
    }

    @Test
    void aRemoveOnOneNodeDropsTheKeyFromEveryNodesFile() throws Exception {
        newRoute();
        Path fileA = file("keys-a");
        Path fileB = file("keys-b");
        ProxyServer a = node(0, fileA);
        ProxyServer b = node(1, fileB);
        add(a, NEW);
        await().atMost(PROPAGATION).until(() -> read(fileB).equals(text(K1, K2, NEW)));

        JsonObject removedAdded = remove(b, NEW);
        JsonObject removedFromFile = remove(b, K1);

        assertThat(removedAdded.getBoolean("persisted")).isTrue();
        assertThat(removedFromFile.getBoolean("persisted")).isTrue();
        assertThat(read(fileB)).isEqualTo(text(K2));
        await().atMost(PROPAGATION).until(() -> read(fileA).equals(text(K2)));
        await().atMost(PROPAGATION).until(() -> fingerprints(a).equals(fingerprints(K2)));
        assertThat(fingerprints(b)).isEqualTo(fingerprints(K2));
    }

    @Test
    void nodesOnOneSharedFileEndWithTheSameFileWithoutALoop() throws Exception {
        newRoute();
        Path shared = file("keys");
        ProxyServer a = node(0, shared);
        ProxyServer b = node(1, shared);

        assertThat(add(a, NEW).getBoolean("persisted")).isTrue();
        await().atMost(PROPAGATION).until(() -> fingerprints(b).contains(KeyFingerprint.of(NEW)));
        assertThat(remove(b, K2).getBoolean("persisted")).isTrue();

        assertThat(read(shared)).isEqualTo(text(K1, NEW));
        await().atMost(PROPAGATION).until(() -> fingerprints(a).equals(fingerprints(K1, NEW)));
        // Both watchers reload the proxies' own writes (every 500 ms at the latest): nothing may come of it.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> clusterVersion() == 2
                && read(shared).equals(text(K1, NEW)) && fingerprints(a).equals(fingerprints(K1, NEW))
                && fingerprints(b).equals(fingerprints(K1, NEW)));
        assertThat(writesBack()).as("each change written once by each node at most").isBetween(2L, 4L);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-------");
    }

    @Test
    void theWatchersReloadOfTheProxysOwnWriteUndoesNothingAndPublishesNothing() throws Exception {
        newRoute();
        Path fileA = file("keys-a");
        ProxyServer a = node(0, fileA);
        ProxyServer b = node(1, file("keys-b"));
        add(a, NEW);
        remove(a, K2);
        long version = clusterVersion();
        String written = read(fileA);

        a.route().keys().orElseThrow().fileChanged(written);
        a.route().keys().orElseThrow().fileChanged(text(K1, K2)); // read before the writes, applied after them

        assertThat(fingerprints(a)).isEqualTo(fingerprints(K1, NEW));
        assertThat(read(fileA)).isEqualTo(text(K1, NEW));
        assertThat(clusterVersion()).isEqualTo(version);
        await().atMost(PROPAGATION).until(() -> fingerprints(b).equals(fingerprints(K1, NEW)));
    }

    @Test
    void theChangesOutliveARestartOfTheWholeCluster() throws Exception {
        newRoute();
        Path fileA = file("keys-a");
        ProxyServer a = node(0, fileA);
        node(1, file("keys-b"));
        add(a, NEW);
        remove(a, K2);
        for (ProxyServer node : nodes) {
            node.close();
        }
        nodes.clear();
        // What a restart of every member leaves: no run-time changes in the cache.
        cache().remove("keyfailover-keys|" + route);
        cache().remove("keyfailover-keys-version|" + route);

        ProxyServer restarted = node(0, fileA);

        assertThat(fingerprints(restarted)).isEqualTo(fingerprints(K1, NEW));
        assertThat(source(restarted, NEW)).isEqualTo("file");
    }

    @Test
    void aReadOnlyFileIsNotWrittenWhileAWritableOneOnAnotherNodeIs() throws Exception {
        newRoute();
        Path secrets = Files.createDirectory(dir.resolve("..data"));
        Files.writeString(secrets.resolve("keys"), text(K1, K2));
        Path linked = Files.createSymbolicLink(dir.resolve("secret-keys"), Path.of("..data/keys"));
        Path fileB = file("keys-b");
        ProxyServer a = node(0, linked);
        node(1, fileB);

        JsonObject added = add(a, NEW);
        JsonObject removed = remove(a, K2);

        assertThat(added.getBoolean("persisted")).isFalse();
        assertThat(added.getBoolean("shared")).isTrue();
        assertThat(removed.getBoolean("persisted")).isFalse();
        assertThat(read(secrets.resolve("keys"))).isEqualTo(text(K1, K2));
        assertThat(fingerprints(a)).as("a removed key the read-only file lists stays out")
                .isEqualTo(fingerprints(K1, NEW));
        assertThat(source(a, NEW)).isEqualTo("api");
        await().atMost(PROPAGATION).until(() -> read(fileB).equals(text(K1, NEW)));
    }
}
