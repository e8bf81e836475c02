package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import dev.keyfailover.config.ClientTokensFile;
import dev.keyfailover.config.ConfigException;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** behaviour.md §13: a route's clientTokensFile is watched as a keys file is (§14). */
class ClientTokensFileWatchTest {

    private static final String POOL_KEY = "sk-pool-key-0000000001";
    private static final String ALICE = "tok-alice-0123456789abcdef";
    private static final String BOB = "tok-bob-0123456789abcdef";
    /** Within 2 s of a change, says §14; a second more for a busy machine. */
    private static final Duration APPLIED = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start().on(POOL_KEY, FakeUpstream.ok("{\"served\":true}"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ProxyServer proxy;
    private Path file;

    @BeforeEach
    void start() throws Exception {
        CapturedLogs.clear();
        file = Files.writeString(dir.resolve("tokens"), "# who may use the pool\nalice:" + ALICE + "\n");
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(),
                "keys", POOL_KEY, "clientTokensFile", file.toString()), null,
                Map.of(RouteLifecycle.METER_REGISTRY_ATTRIBUTE, registry));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
        assertThat(CapturedLogs.allText()).doesNotContain(ALICE).doesNotContain(BOB);
    }

    private int statusWith(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}")).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Replaced as editors and Secret volumes do: a new file moved over the old one. */
    private void replaceFile(String text) throws Exception {
        Path next = Files.writeString(dir.resolve("tokens.next"), text);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aTokenAddedToTheFileIsServedAndOneRemovedIsRefusedWithoutARestart() throws Exception {
        assertThat(statusWith(ALICE)).isEqualTo(200);
        assertThat(statusWith(BOB)).isEqualTo(401);

        replaceFile("bob:" + BOB + "\n");

        await().atMost(APPLIED).until(() -> statusWith(BOB) == 200);
        assertThat(statusWith(ALICE)).isEqualTo(401);
        await().atMost(APPLIED).untilAsserted(() -> assertThat(registry.find("keyfailover.requests")
                .tag("outcome", "served").tag("client", "bob").counter()).isNotNull()
                .extracting(counter -> counter.count()).isEqualTo(1.0));
    }

    @Test
    void anEditInPlaceIsAppliedToo() throws Exception {
        Files.writeString(file, "alice:" + ALICE + "\nbob:" + BOB + "\n");

        await().atMost(APPLIED).until(() -> statusWith(BOB) == 200);
        assertThat(statusWith(ALICE)).isEqualTo(200);
    }

    @Test
    void aFileThatDoesNotParseOrHoldsNoTokenKeepsTheTokensAndNamesTheLineNeverAToken() throws Exception {
        replaceFile("bob:" + BOB + "\nbob:" + ALICE + "\n");
        await().atMost(APPLIED).until(() -> CapturedLogs.allText().contains("names client 'bob' twice"));
        replaceFile("# nobody\n");
        await().atMost(APPLIED).until(() -> CapturedLogs.allText().contains("holds no client token"));

        assertThat(statusWith(ALICE)).isEqualTo(200);
        assertThat(statusWith(BOB)).isEqualTo(401);
        assertThat(CapturedLogs.allText()).contains("the client tokens stay as they were");
    }

    @Test
    void aChangedFileIsReadByTheRulesOfTheRoutesStart() {
        assertThatThrownBy(() -> ClientTokensFile.parse("servlet 'openai'", "alice:" + ALICE + "\ncarol tok-x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("servlet 'openai': parameter 'clientTokensFile'").hasMessageContaining("line 2")
                .hasMessageNotContaining("tok-x");
    }
}
