package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** behaviour.md §14: a route's keys file watched; every way a file changes applied within 2 s, a bad one refused. */
class KeysFileWatchTest {

    private static final String K1 = "sk-file-key-0000000000001";
    private static final String K2 = "sk-file-key-0000000000002";
    private static final String K3 = "sk-file-key-0000000000003";
    private static final Duration WITHIN = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start().otherwise(FakeUpstream.ok("{}"));
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(Path keysFile) throws Exception {
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(),
                "keysFile", keysFile.toString()), null, Map.of(), ProxyServer.STATUS_PARAMS);
    }

    private List<String> fingerprints() {
        return proxy.route().pool().keys().stream().map(Key::fingerprint).toList();
    }

    private static List<String> fingerprintsOf(String... keys) {
        return java.util.Arrays.stream(keys).map(KeyFingerprint::of).toList();
    }

    private void send() throws Exception {
        client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models")).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void aChangeInPlaceIsAppliedAndAKeptKeyKeepsItsCounters() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), K1 + "\n" + K2 + "\n");
        start(file);
        send();

        Files.writeString(file, K3 + "\n" + K1 + "\n");

        await().atMost(WITHIN).until(() -> fingerprints().equals(fingerprintsOf(K3, K1)));
        List<KeySnapshot> keys = proxy.route().pool().snapshot();
        assertThat(keys.get(1).attempts()).as("K1 served the request before the change").isEqualTo(1);
        assertThat(keys.get(0).attempts()).isZero();
    }

    /**
     * After a change, a key's position differs from the number it was given first: the failover's log
     * lines name a key as the status and the admin API do (hint and fingerprint), not by that number.
     */
    @Test
    void aKeysLogLinesNameItByItsFingerprintAfterTheListChanged() throws Exception {
        upstream.on(K2, FakeUpstream.status(401));
        Path file = Files.writeString(dir.resolve("keys"), K1 + "\n" + K2 + "\n");
        start(file);
        Files.writeString(file, K2 + "\n" + K3 + "\n");
        await().atMost(WITHIN).until(() -> fingerprints().equals(fingerprintsOf(K2, K3)));
        CapturedLogs.clear();

        send();

        assertThat(CapturedLogs.allText()).contains("openai: key sk-f…0002 (" + KeyFingerprint.of(K2)
                + ") disabled after 401").doesNotContain("#1");
    }

    /**
     * A file that turns unreadable (here a directory in its place) is said once, not at every check twice
     * a second; once readable again it is applied, and a later failure is said again.
     */
    @Test
    void aFileThatCannotBeReadIsLoggedOnceUntilItCanBeReadAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), K1 + "\n");
        start(file);
        CapturedLogs.clear();

        Files.delete(file);
        Files.createDirectory(file);

        await().atMost(WITHIN).until(() -> unreadableLines() == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> unreadableLines() == 1);
        Files.delete(file);
        Files.writeString(file, K2 + "\n");
        await().atMost(WITHIN).until(() -> fingerprints().equals(fingerprintsOf(K2)));
        Files.delete(file);
        Files.createDirectory(file);
        await().atMost(WITHIN).until(() -> unreadableLines() == 2);
    }

    /**
     * §14: a deleted keys file keeps the keys it listed, and says so once (not at every check); once it is
     * back it is applied and that is said once too.
     */
    @Test
    void aDeletedKeysFileIsSaidOnceAndItsReturnOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), K1 + "\n" + K2 + "\n");
        start(file);
        CapturedLogs.clear();

        Files.delete(file);

        await().atMost(WITHIN).until(() -> lines(Level.WARN, "is gone") == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> lines(Level.WARN, "is gone") == 1);
        assertThat(CapturedLogs.allText())
                .contains("keys file " + file + " is gone; keeping the 2 keys it listed until it is back");
        assertThat(fingerprints()).isEqualTo(fingerprintsOf(K1, K2));
        Files.writeString(file, K3 + "\n");
        await().atMost(WITHIN).until(() -> fingerprints().equals(fingerprintsOf(K3)));
        await().atMost(WITHIN).until(() -> lines(Level.INFO, "is back") == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> lines(Level.INFO, "is back") == 1);
        assertThat(lines(Level.WARN, "is gone")).isEqualTo(1);
    }

    private static long lines(Level level, String text) {
        return CapturedLogs.events().stream().filter(event -> event.level() == level && event.message().contains(text))
                .count();
    }

    private static long unreadableLines() {
        return CapturedLogs.allText().lines().filter(line -> line.contains("cannot read it")).count();
    }

    @Test
    void anAtomicRenameIsApplied() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), K1 + "\n");
        start(file);

        Path next = Files.writeString(dir.resolve("keys.new"), K2 + "\n" + K3 + "\n");
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(WITHIN).until(() -> fingerprints().equals(fingerprintsOf(K2, K3)));
    }

    @Test
    void theSymlinkSwapOfAKubernetesSecretVolumeIsApplied() throws Exception {
        Path first = Files.createDirectory(dir.resolve("..2026_01_01_00_00_00.1"));
        Files.writeString(first.resolve("keys"), K1 + "\n");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("keys"), Path.of("..data/keys"));
        start(file);
        assertThat(fingerprints()).isEqualTo(fingerprintsOf(K1));

        Path second = Files.createDirectory(dir.resolve("..2026_01_01_00_01_00.2"));
        Files.writeString(second.resolve("keys"), K2 + "\n");
        Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(swap, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(WITHIN).until(() -> fingerprints().equals(fingerprintsOf(K2)));
    }

    @Test
    void aFileThatDoesNotParseKeepsTheOldListAndNamesTheLineNeverTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), K1 + "\n" + K2 + "\n");
        start(file);
        String bad = "sk-bad key-000000000000009";
        CapturedLogs.clear();
        Files.writeString(file, K1 + "\n\n" + bad + "\n");

        await().atMost(WITHIN).until(() -> status().contains("keysFileError"));
        assertThat(status()).contains("line 3").doesNotContain(bad).doesNotContain("sk-bad");
        assertThat(CapturedLogs.allText()).contains("line 3").doesNotContain("sk-bad");
        assertThat(fingerprints()).isEqualTo(fingerprintsOf(K1, K2));

        Files.writeString(file, K1 + "\n" + K1 + "\n");
        await().atMost(WITHIN).until(() -> status().contains("repeats the key on line 1"));
        Files.writeString(file, "\u0001\n");
        await().atMost(WITHIN).until(() -> status().contains("control character"));
        Files.writeString(file, "\n\n");
        await().atMost(WITHIN).until(() -> status().contains("no key"));
        assertThat(fingerprints()).isEqualTo(fingerprintsOf(K1, K2));

        Files.writeString(file, K2 + "\n");
        await().atMost(WITHIN).until(() -> fingerprints().equals(fingerprintsOf(K2)));
        assertThat(status()).doesNotContain("keysFileError");
    }

    @Test
    void theWatcherStopsWithTheRoute() throws Exception {
        start(Files.writeString(dir.resolve("keys"), K1 + "\n"));
        assertThat(watcherThreads()).isPositive();

        proxy.close();
        proxy = null;

        assertThat(watcherThreads()).isZero();
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("keyfailover-keys-file-") && thread.isAlive()).count();
    }

    private String status() throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri("/app/status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
