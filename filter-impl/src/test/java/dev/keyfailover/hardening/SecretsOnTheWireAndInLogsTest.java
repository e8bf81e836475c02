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

        assertThat(seenByClients).contains("all configured keys", "\"ok\":true", "request_too_large", "bad_gateway");
        assertNothingLeaked(keys, List.of(), "429", "401", "403");
    }

    /**
     * The same at every level on a Gemini route (behaviour.md §15) whose clients put their key in the
     * URL: with {@code byok=deny} the pool serves (a per-minute 429, a per-day 429, a 400
     * {@code API_KEY_INVALID}, a stream, exhaustion) and the client's {@code ?key=} is taken off; with
     * {@code byok=allow} the client's {@code ?key=} (or {@code x-goog-api-key}) is its own, sent once.
     */
    @Test
    void noWholeKeyOfAGeminiRouteNorAClientsQueryKeyReachesClientsLogsOrTheDump() throws Exception {
        String generate = "/app/openai/v1beta/models/gemini-2.5-flash:generateContent";
        List<FakeUpstream.RecordedRequest> upstreamGot;
        CapturedLogs.clear();
        try (AutoCloseable everyLevel = CapturedLogs.atEveryLevel();
             FakeUpstream upstream = FakeUpstream.start().keyHeader("x-goog-api-key")) {
            upstream.on(Secrets.LIMITED, FakeUpstream.json(429, quota("PerMinutePerProjectPerModel", "30s")))
                    .on(Secrets.REVOKED, FakeUpstream.json(400, API_KEY_INVALID))
                    .on(Secrets.REFUSED, FakeUpstream.json(429, quota("PerDayPerProjectPerModel", "38s")))
                    .on(Secrets.GOOD, FakeUpstream.ok(GENERATED))
                    .otherwise(FakeUpstream.ok("{\"byok\":true}"));
            try (ProxyServer proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), Secrets.POOL_PARAM, spill,
                    "provider", "gemini", "byok", "deny", "dumpDir", dumps.resolve("deny").toString()))) {
                fetch(proxy, "POST", generate + "?key=" + Secrets.CLIENTS_QUERY,
                        "{\"contents\":\"" + "y".repeat(4096) + "\"}", "Content-Type", "application/json");
                upstream.on(Secrets.GOOD, FakeUpstream.sse("data: " + GENERATED + "\r\n\r\n").releaseAll());
                fetch(proxy, "POST", generate.replace(":generate", ":streamGenerate") + "?alt=sse&key="
                        + Secrets.CLIENTS_QUERY, "{}");
                upstream.on(Secrets.GOOD, FakeUpstream.json(429, quota("PerMinutePerProjectPerModel", "10s")));
                fetch(proxy, "POST", generate + "?key=" + Secrets.CLIENTS_QUERY, "{}");
                fetch(proxy, "POST", generate + "?key=" + Secrets.CLIENTS_QUERY, "{}");
                fetch(proxy, "GET", "/app/status.json", null);
            }
            try (ProxyServer proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), Secrets.POOL_PARAM, spill,
                    "provider", "gemini", "byok", "allow", "dumpDir", dumps.resolve("allow").toString()))) {
                fetch(proxy, "POST", generate + "?key=" + Secrets.CLIENTS_OWN, "{}");
                fetch(proxy, "POST", generate, "{}", "x-goog-api-key", Secrets.CLIENTS_OWN);
            }
            upstreamGot = upstream.requests();
        }
        List<String> keys = new ArrayList<>(Secrets.POOL);
        keys.add(Secrets.CLIENTS_OWN);
        keys.add(Secrets.CLIENTS_QUERY);

        assertThat(seenByClients).contains("RESOURCE_EXHAUSTED", "candidates", "\"byok\":true");
        Secrets.assertNoKeyIn("what upstream got on the pool's behalf", upstreamGot.toString(),
                List.of(Secrets.CLIENTS_QUERY));
        // On a Gemini route no URL carries a key: a BYOK ?key= travels in x-goog-api-key, so not even
        // HttpClient's own request line can show one.
        assertNothingLeaked(keys, List.of(Secrets.CLIENTS_QUERY, Secrets.CLIENTS_OWN), "429", "400",
                "RESOURCE_EXHAUSTED");
    }

    /**
     * Asserts no whole key in the client answers, the dump, and the logs of everything but the fake
     * upstream: pool keys in no log line at all; a client's key not in the proxy's nor its HTTP client's
     * lines (the container may log what the client sent), except HttpClient's own DEBUG request line
     * ({@code MainClientExec}), which shows a BYOK request's URL as the client sent it (known and
     * accepted; pool keys never travel in the query). {@code neverInTheRequestLine} are client keys of
     * pool requests: not even there.
     */
    private void assertNothingLeaked(List<String> keys, List<String> neverInTheRequestLine, String... dumped)
            throws Exception {
        StringBuilder proxyLogs = new StringBuilder();
        StringBuilder productLogs = new StringBuilder();
        StringBuilder requestLines = new StringBuilder();
        for (CapturedLogs.Event event : CapturedLogs.events()) {
            if (event.thread().startsWith("fake-upstream")) {
                continue;
            }
            proxyLogs.append(event).append('\n');
            boolean requestLine = event.logger().endsWith(".MainClientExec");
            if (requestLine) {
                requestLines.append(event).append('\n');
            } else if (event.logger().startsWith("dev.keyfailover") || event.logger().startsWith("org.apache.hc")) {
                productLogs.append(event).append('\n');
            }
        }
        assertThat(CapturedLogs.events()).as("TRACE must really be on").anySatisfy(event ->
                assertThat(event.level()).isEqualTo(org.slf4j.event.Level.TRACE));
        assertThat(requestLines).as("HttpClient's request lines were logged").isNotEmpty();
        Secrets.assertNoKeyIn("client answers", seenByClients.toString(), keys);
        Secrets.assertNoKeyIn("logs", proxyLogs.toString(), Secrets.POOL);
        Secrets.assertNoKeyIn("the proxy's and its HTTP client's logs", productLogs.toString(), keys);
        Secrets.assertNoKeyIn("HttpClient's request lines", requestLines.toString(), neverInTheRequestLine);
        Secrets.assertNoKeyIn("API dump", dumpText(dumped), keys);
    }

    private String dumpText(String... recorded) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dumps)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(file).append('\n').append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(all).as("the dump recorded the attempts").contains(recorded);
        return all.toString();
    }

    /** Google's 429 of a quota ({@code GenerateRequests<period>-FreeTier}) as Gemini sends it, with its wait. */
    private static String quota(String period, String retryDelay) {
        return "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota.\",\"status\":"
                + "\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\","
                + "\"violations\":[{\"quotaId\":\"GenerateRequests" + period + "-FreeTier\",\"quotaDimensions\":"
                + "{\"model\":\"gemini-2.5-flash\"},\"quotaValue\":\"10\"}]},{\"@type\":"
                + "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"" + retryDelay + "\"}]}}";
    }

    private static final String API_KEY_INVALID = "{\"error\":{\"code\":400,\"message\":\"API key not valid.\","
            + "\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
            + "\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\"}]}}";
    private static final String GENERATED = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}],"
            + "\"role\":\"model\"},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"totalTokenCount\":3}}";
}
