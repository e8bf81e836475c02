package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.keyfailover.pool.KeyHint;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * behaviour.md §5: the three roles of a request header kept apart, over real sockets. The header a
 * pool key travels in is always stripped from the client and always masked, whatever
 * {@code byokHeaders} says; what makes a request BYOK is its own list; a client credential never
 * travels along with a pool key.
 */
class CredentialHeaderRolesTest {

    private static final String POOL_KEY = "sk-roles-pool-key-0000000000001";
    private static final String CLIENTS_OWN = "sk-roles-clients-own-key-00000009";

    @TempDir
    Path dumps;
    private final FakeUpstream upstream = FakeUpstream.start();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        upstream.close();
    }

    private HttpResponse<String> post(ProxyServer proxy, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}")).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String dumped() throws Exception {
        try (Stream<Path> files = Files.walk(dumps)) {
            return files.filter(Files::isRegularFile).map(file -> {
                try {
                    return Files.readString(file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    @Test
    void thePoolKeysHeaderIsMaskedInTheDumpAndTheHeaderLogWhateverByokHeadersSays() throws Exception {
        upstream.keyHeader("X-Custom-Token").on(POOL_KEY, FakeUpstream.ok("{}"));
        CapturedLogs.clear();
        try (AutoCloseable everyLevel = CapturedLogs.atEveryLevel();
             ProxyServer proxy = ProxyServer.servlet(Map.of("provider", "generic", "authHeader", "X-Custom-Token",
                     "byokHeaders", "X-Client-Token", "baseUrl", upstream.baseUri().toString(), "keys", POOL_KEY,
                     "dumpDir", dumps.toString()))) {
            assertThat(post(proxy).statusCode()).isEqualTo(200);
        }

        assertThat(upstream.keysSeen()).containsExactly(POOL_KEY);
        String dump = dumped();
        assertThat(dump).contains("X-Custom-Token: " + KeyHint.of(POOL_KEY)).doesNotContain(POOL_KEY);
        String headerLog = CapturedLogs.events().stream()
                .filter(event -> event.logger().equals("org.apache.hc.client5.http.headers"))
                .map(CapturedLogs.Event::message).collect(Collectors.joining("\n"));
        assertThat(headerLog).contains("X-Custom-Token: " + KeyHint.of(POOL_KEY));
        // The fake upstream's own threads log what it received; the proxy's log lines are the rest.
        assertThat(CapturedLogs.events()).filteredOn(event -> !event.thread().startsWith("fake-upstream"))
                .extracting(CapturedLogs.Event::text).noneMatch(text -> text.contains(POOL_KEY));
    }

    @Test
    void aClientsCredentialInAHeaderThatIsNotABYOKHeaderNeverTravelsAlongWithAPoolKey() throws Exception {
        upstream.on(POOL_KEY, FakeUpstream.ok("{}"));
        try (ProxyServer proxy = ProxyServer.servlet(Map.of("provider", "anthropic", "byokHeaders", "X-User-Key",
                "baseUrl", upstream.baseUri().toString(), "keys", POOL_KEY))) {
            HttpResponse<String> response = post(proxy, "Authorization", "Bearer " + CLIENTS_OWN);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).as("served by the pool").hasValue("1");
        }
        FakeUpstream.RecordedRequest sent = upstream.requests().get(0);
        assertThat(sent.header("X-Api-Key")).isEqualTo(POOL_KEY);
        assertThat(sent.headerValues("Authorization")).as("the client's Authorization is stripped").isEmpty();
    }

    @Test
    void aByokHeaderMakesTheRequestByokAndGoesUntouched() throws Exception {
        upstream.keyHeader("X-User-Key").on(CLIENTS_OWN, FakeUpstream.ok("{}"));
        // byok=allow: any credential in a BYOK header is the client's own (under the default auto, only sk-ant-…, §13).
        try (ProxyServer proxy = ProxyServer.servlet(Map.of("provider", "anthropic", "byokHeaders", "X-User-Key",
                "byok", "allow",
                "baseUrl", upstream.baseUri().toString(), "keys", POOL_KEY))) {
            HttpResponse<String> response = post(proxy, "X-User-Key", CLIENTS_OWN);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).as("BYOK").isEmpty();
        }
        FakeUpstream.RecordedRequest sent = upstream.requests().get(0);
        assertThat(sent.header("X-User-Key")).isEqualTo(CLIENTS_OWN);
        assertThat(sent.headerValues("X-Api-Key")).as("no pool key on a BYOK request").isEmpty();
    }

    @Test
    void onAPoolRequestTheClientsKeyInThePoolKeysHeaderIsReplacedNotAdded() throws Exception {
        upstream.keyHeader("X-Custom-Token").on(POOL_KEY, FakeUpstream.ok("{}"));
        try (ProxyServer proxy = ProxyServer.servlet(Map.of("provider", "generic", "authHeader", "X-Custom-Token",
                "byokHeaders", "X-Client-Token", "baseUrl", upstream.baseUri().toString(), "keys", POOL_KEY))) {
            assertThat(post(proxy, "X-Custom-Token", CLIENTS_OWN).statusCode()).isEqualTo(200);
        }
        assertThat(upstream.requests().get(0).headerValues("X-Custom-Token")).isEqualTo(List.of(POOL_KEY));
    }
}
