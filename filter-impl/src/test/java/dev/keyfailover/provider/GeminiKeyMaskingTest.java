package dev.keyfailover.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * behaviour.md §7 and §15: a client's {@code ?key=} on a Gemini route, BYOK and stripped, with every
 * logger at TRACE and the API dump on. The request line in the dump and in HttpClient's header log is
 * masked; no answer, no log line of the proxy or its HTTP client and no dump holds the client's key,
 * and no log line at all a pool key.
 */
class GeminiKeyMaskingTest {

    private static final String POOL = "AIzaSyMASKING-pool-key-0000000000001";
    private static final String CLIENTS = "AIzaSyMASKING-clients-own-key-9a8b7c";

    @TempDir
    Path dumps;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String send(ProxyServer proxy, String query) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                        proxy.uri("/app/openai/v1beta/models/gemini-2.5-flash:generateContent?" + query))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() + " " + answer.headers().map() + " " + answer.body();
    }

    @Test
    void theClientsQueryKeyTravelsInTheHeaderMaskedInTheDumpAndTheLogsAndInNoAnswer() throws Exception {
        StringBuilder answers = new StringBuilder();
        CapturedLogs.clear();
        try (AutoCloseable everyLevel = CapturedLogs.atEveryLevel();
             FakeUpstream upstream = FakeUpstream.start().keyHeader("x-goog-api-key")) {
            upstream.on(POOL, FakeUpstream.json(429, GeminiBodies.perMinute("gemini-2.5-flash", "30s")))
                    .otherwise(FakeUpstream.json(400, GeminiBodies.BAD_REQUEST));
            for (String byok : new String[] {"allow", "deny"}) {
                try (ProxyServer proxy = ProxyServer.servlet(Map.of("provider", "gemini",
                        "baseUrl", upstream.baseUri().toString(), "keys", POOL, "byok", byok,
                        "dumpDir", dumps.resolve(byok).toString()))) {
                    answers.append(send(proxy, "key=" + CLIENTS + "&alt=sse")).append('\n');
                }
            }
        }
        StringBuilder allLogs = new StringBuilder();
        StringBuilder proxyLogs = new StringBuilder();
        StringBuilder headerLog = new StringBuilder();
        for (CapturedLogs.Event event : CapturedLogs.events()) {
            if (event.thread().startsWith("fake-upstream")) {
                continue;
            }
            allLogs.append(event).append('\n');
            // The container may log what the client sent; the proxy and its HTTP client (request
            // lines included: a BYOK ?key= travels in x-goog-api-key, no URL carries it) never.
            boolean product = event.logger().startsWith("dev.keyfailover") || event.logger().startsWith("org.apache.hc");
            if (product) {
                proxyLogs.append(event).append('\n');
            }
            if (event.logger().equals("org.apache.hc.client5.http.headers")) {
                headerLog.append(event.message()).append('\n');
            }
        }
        String dump = dumpText();

        assertThat(answers).contains("INVALID_ARGUMENT", "RESOURCE_EXHAUSTED").doesNotContain(CLIENTS, POOL);
        assertThat(headerLog).contains("x-goog-api-key: AIza…8b7c", "x-goog-api-key: AIza…0001")
                .doesNotContain("key=");
        assertThat(dump).contains("generateContent?alt=sse", "x-goog-api-key: AIza…8b7c").doesNotContain("key=");
        assertThat(allLogs).doesNotContain(POOL);
        assertThat(proxyLogs).contains("org.apache.hc.client5.http.headers").doesNotContain(CLIENTS);
        assertThat(dump).doesNotContain(CLIENTS, POOL);
    }

    private String dumpText() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dumps)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return all.toString();
    }
}
