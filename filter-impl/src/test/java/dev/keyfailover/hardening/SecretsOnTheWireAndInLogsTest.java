package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path a key could leak by, exercised at once with every logger at TRACE: failover through
 * 429, 401 and 403, a stream, exhaustion, BYOK, a 413, a refused path, a transport failure, the
 * status page, and the API dump. None of what a client, a log reader or a dump reader gets holds a
 * whole key.
 */
class SecretsOnTheWireAndInLogsTest {

    @TempDir
    Path dumps;
    @TempDir
    Path spill;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final StringBuilder seenByClients = new StringBuilder();

    private void fetch(ProxyServer proxy, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        seenByClients.append(response.statusCode()).append(' ').append(response.headers().map()).append('\n')
                .append(response.body()).append('\n');
    }

    @Test
    void noWholeKeyReachesClientsLogsAtAnyLevelOrTheDump() throws Exception {
        CapturedLogs.clear();
        try (AutoCloseable everyLevel = CapturedLogs.atEveryLevel();
             FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on(Secrets.LIMITED, FakeUpstream.rateLimited("30"))
                    .on(Secrets.REVOKED, FakeUpstream.status(401))
                    .on(Secrets.REFUSED, FakeUpstream.status(403))
                    .on(Secrets.GOOD, FakeUpstream.ok("{\"ok\":true}"))
                    .on(Secrets.CLIENTS_OWN, FakeUpstream.ok("{\"byok\":true}"));
            try (ProxyServer proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), Secrets.POOL_PARAM, spill,
                    "dumpDir", dumps.toString(), "maxBodyBytes", "64KiB"))) {
                fetch(proxy, "POST", "/app/openai/v1/chat/completions?key=" + Secrets.CLIENTS_OWN,
                        "{\"x\":\"" + "y".repeat(4096) + "\"}", "Content-Type", "application/json");
                upstream.on(Secrets.GOOD, FakeUpstream.sse("data: one\n\n", "data: [DONE]\n\n").releaseAll());
                fetch(proxy, "POST", "/app/openai/v1/chat/completions", "{\"stream\":true}");
                upstream.on(Secrets.GOOD, FakeUpstream.rateLimited("10"));
                fetch(proxy, "POST", "/app/openai/v1/chat/completions", "{}");
                fetch(proxy, "POST", "/app/openai/v1/chat/completions", "{}");
                fetch(proxy, "GET", "/app/openai/v1/models", null, "Authorization", "Bearer " + Secrets.CLIENTS_OWN);
                fetch(proxy, "POST", "/app/openai/v1/files", "z".repeat(100_000));
                fetch(proxy, "GET", "/app/openai/v1/%2e%2e/admin", null);
                fetch(proxy, "GET", "/app/status.json", null);
                fetch(proxy, "GET", "/app/status", null);
            }
            try (ProxyServer unreachable = ProxyServer.servlet(Routes.openai(java.net.URI.create("http://127.0.0.1:1"),
                    Secrets.POOL_PARAM, spill, "dumpDir", dumps.toString()))) {
                fetch(unreachable, "POST", "/app/openai/v1/chat/completions", "{}");
            }
        }
        List<String> keys = new ArrayList<>(Secrets.POOL);
        keys.add(Secrets.CLIENTS_OWN);

        // The fake upstream plays the provider: what it logs is the provider's business, not the proxy's.
        List<CapturedLogs.Event> proxyEvents = CapturedLogs.events().stream()
                .filter(event -> !event.thread().startsWith("fake-upstream")).toList();
        StringBuilder proxyLogs = new StringBuilder();
        StringBuilder productLogs = new StringBuilder();
        for (CapturedLogs.Event event : proxyEvents) {
            proxyLogs.append(event).append('\n');
            // Known and accepted: HttpClient's MainClientExec logs the request line at DEBUG, with a key the
            // client itself put in the query (as it sent it); pool keys never travel in the query.
            boolean requestLine = event.logger().endsWith(".MainClientExec");
            if (!requestLine && (event.logger().startsWith("dev.keyfailover") || event.logger().startsWith("org.apache.hc"))) {
                productLogs.append(event).append('\n');
            }
        }
        assertThat(CapturedLogs.events()).as("TRACE must really be on").anySatisfy(event ->
                assertThat(event.level()).isEqualTo(org.slf4j.event.Level.TRACE));
        assertThat(seenByClients).contains("all configured keys", "\"ok\":true", "request_too_large", "bad_gateway");
        Secrets.assertNoKeyIn("client answers", seenByClients.toString(), keys);
        // Pool keys: in no log line at all. The client's own key: the container may log what the client sent.
        Secrets.assertNoKeyIn("logs", proxyLogs.toString(), Secrets.POOL);
        Secrets.assertNoKeyIn("the proxy's and its HTTP client's logs", productLogs.toString(), keys);
        Secrets.assertNoKeyIn("API dump", dumpText(), keys);
    }

    private String dumpText() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dumps)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(file).append('\n').append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(all).as("the dump recorded the attempts").contains("429", "401", "403");
        return all.toString();
    }
}
