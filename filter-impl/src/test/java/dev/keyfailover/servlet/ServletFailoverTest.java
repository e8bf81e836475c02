package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import dev.keyfailover.pool.KeyState;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** behaviour.md §2 to §8 end to end: client, servlet on Jetty, fake upstream, all over real sockets. */
class ServletFailoverTest {

    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private ProxyServer start(String provider, String keys, String... more) throws Exception {
        Map<String, String> params = new HashMap<>();
        params.put("provider", provider);
        params.put("baseUrl", upstream.baseUri().toString());
        params.put("keys", keys);
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        proxy = ProxyServer.servlet(params);
        return proxy;
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void rateLimitedAndRevokedKeysAreSkippedAndTheGoodKeyServesTheSameBody() throws Exception {
        upstream.on("sk-limited-000000001", FakeUpstream.rateLimited("30"))
                .on("sk-revoked-000000002", FakeUpstream.status(401))
                .on("sk-good-0000000000003", FakeUpstream.ok("{\"served\":true}"));
        // The whole-key cooldown of §3; per-model cooldowns (the default) have their own tests.
        start("openai", "sk-limited-000000001,sk-revoked-000000002,sk-good-0000000000003", "cooldownScope", "key");

        HttpResponse<String> response = post("/app/openai/v1/chat/completions?trace=1", BODY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"served\":true}");
        assertThat(upstream.keysSeen()).containsExactly("sk-limited-000000001", "sk-revoked-000000002",
                "sk-good-0000000000003");
        assertThat(upstream.requests()).allSatisfy(request -> {
            assertThat(request.path()).isEqualTo("/v1/chat/completions");
            assertThat(request.query()).isEqualTo("trace=1");
            assertThat(request.bodyText()).isEqualTo(BODY);
        });
        assertThat(proxy.route().pool().snapshot()).extracting(key -> key.state())
                .containsExactly(KeyState.COOLING, KeyState.DISABLED, KeyState.VALID);
    }

    @Test
    void everyKeyRateLimitedGivesAnOpenAiShaped429WithTheSoonestRetryAfter() throws Exception {
        upstream.on("sk-one-0000000000001", FakeUpstream.rateLimited("120"))
                .on("sk-two-0000000000002", FakeUpstream.rateLimited("7"));
        start("openai", "sk-one-0000000000001,sk-two-0000000000002");

        HttpResponse<String> response = post("/app/openai/v1/chat/completions", BODY);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(value ->
                assertThat(Integer.parseInt(value)).isBetween(6, 7));
        JsonObject error = json(response.body()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("rate_limit_error");
        assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
        assertThat(error.getString("message")).contains("all configured keys are rate-limited")
                .doesNotContain("sk-one", "sk-two");
    }

    @Test
    void everyKeyRevokedGivesAnAnthropicShaped502() throws Exception {
        upstream.on("sk-ant-one-000000001", FakeUpstream.status(401))
                .on("sk-ant-two-000000002", FakeUpstream.status(401));
        start("anthropic", "sk-ant-one-000000001,sk-ant-two-000000002");

        HttpResponse<String> response = post("/app/openai/v1/messages", BODY);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        JsonObject body = json(response.body());
        assertThat(body.getString("type")).isEqualTo("error");
        assertThat(body.getJsonObject("error").getString("type")).isEqualTo("api_error");
        assertThat(body.getJsonObject("error").getString("message"))
                .contains("all configured keys failed authentication").doesNotContain("sk-ant-one", "sk-ant-two");
        assertThat(upstream.requests()).allSatisfy(request ->
                assertThat(request.header("X-Api-Key")).startsWith("sk-ant-"));
    }

    @Test
    void aClientsOwnKeyIsSentOnceUntouchedEvenWhenRateLimited() throws Exception {
        upstream.on("sk-users-own-key-0001", FakeUpstream.rateLimited("30"))
                .on("sk-pool-0000000000001", FakeUpstream.ok("{}"));
        start("openai", "sk-pool-0000000000001");

        HttpResponse<String> response = post("/app/openai/v1/chat/completions", BODY,
                "Authorization", "Bearer sk-users-own-key-0001");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(upstream.keysSeen()).containsExactly("sk-users-own-key-0001");
        assertThat(proxy.route().pool().snapshot().get(0).attempts()).isZero();
    }

    @Test
    void withByokDeniedTheClientsKeyIsStrippedAndThePoolIsUsed() throws Exception {
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}"));
        start("openai", "sk-pool-0000000000001", "byok", "deny");

        HttpResponse<String> response = post("/app/openai/v1/chat/completions", BODY,
                "Authorization", "Bearer sk-users-own-key-0001");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).singleElement().satisfies(request ->
                assertThat(request.headerValues("Authorization")).containsExactly("Bearer sk-pool-0000000000001"));
    }

    @Test
    void withoutRetriesServerErrorsAreNotFailedOver() throws Exception {
        upstream.on("sk-first-00000000001", FakeUpstream.status(500))
                .on("sk-second-0000000002", FakeUpstream.ok("{}"));
        start("openai", "sk-first-00000000001,sk-second-0000000002", "retries", "0");

        HttpResponse<String> response = post("/app/openai/v1/chat/completions", BODY);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("x-should-retry")).as("retries=0: no header").isEmpty();
        assertThat(upstream.keysSeen()).containsExactly("sk-first-00000000001");
    }

    @Test
    void withoutRetriesAnUnreachableUpstreamGivesA502InTheProvidersShapeWithoutMarkingAnyKey() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> params = Map.of("provider", "openai", "baseUrl", "http://127.0.0.1:" + closedPort,
                "keys", "sk-first-00000000001,sk-second-0000000002", "retries", "0");
        proxy = ProxyServer.servlet(params);

        HttpResponse<String> response = post("/app/openai/v1/chat/completions", BODY);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response.body()).getJsonObject("error").getString("type")).isEqualTo("api_error");
        assertThat(proxy.route().pool().snapshot()).extracting(key -> key.state())
                .containsOnly(KeyState.VALID);
        assertThat(proxy.route().pool().snapshot().get(1).attempts()).isZero();
    }

    @Test
    void anUpstreamSilentPastTheResponseTimeoutGivesA504() throws Exception {
        FakeUpstream.Stall stall = FakeUpstream.stall();
        upstream.on("sk-slow-000000000001", stall);
        start("anthropic", "sk-slow-000000000001", "responseTimeout", "300ms");

        HttpResponse<String> response = post("/app/openai/v1/messages", BODY);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response.body()).getJsonObject("error").getString("type")).isEqualTo("timeout_error");
        assertThat(proxy.route().pool().snapshot().get(0).state()).isEqualTo(KeyState.VALID);
        stall.release();
    }

    @Test
    void aBodyAboveMaxBodyBytesGetsA413AndNeverReachesUpstream() throws Exception {
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}"));
        start("openai", "sk-pool-0000000000001", "maxBodyBytes", "1KiB");

        HttpResponse<String> response = post("/app/openai/v1/chat/completions", "x".repeat(4096));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response.body()).getJsonObject("error").getString("code")).isEqualTo("request_too_large");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aLargeBodySpillsToDiskIsReplayedByteForByteAndItsFileIsGone(@TempDir Path spill) throws Exception {
        byte[] body = new byte[3 << 20];
        new Random(7).nextBytes(body);
        upstream.on("sk-limited-000000001", FakeUpstream.rateLimited("5"))
                .on("sk-good-0000000000002", FakeUpstream.ok("{}"));
        start("openai", "sk-limited-000000001,sk-good-0000000000002", "spillDir", spill.toString());

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/files"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).hasSize(2).allSatisfy(request -> assertThat(request.body()).isEqualTo(body));
        try (Stream<Path> left = Files.list(spill)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theEncodedPathAndQueryReachUpstreamAsSent() throws Exception {
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}"));
        start("openai", "sk-pool-0000000000001");

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                proxy.uri("/app/openai/v1/files/a%20b%2Bc?name=x%2Fy&empty=&q=1+2")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.query()).isEqualTo("name=x%2Fy&empty=&q=1+2");
        });
    }

    @Test
    void aPathThatWouldLeaveTheBaseUrlIsRefusedWithA400() throws Exception {
        start("openai", "sk-pool-0000000000001");

        String answer = RawHttp.exchange(proxy.port(), "GET /app/openai/v1/%2e%2e/%2e%2e/admin HTTP/1.1\r\n"
                + "Host: x\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void theGenericProviderPutsTheKeyInItsOwnHeaderAndAnswersInTheChosenFormat() throws Exception {
        upstream.keyHeader("api-key")
                .on("azure-key-limited-0001", FakeUpstream.rateLimited("9"))
                .on("azure-key-good-000002", FakeUpstream.ok("{\"azure\":true}"));
        start("generic", "azure-key-limited-0001,azure-key-good-000002", "authHeader", "api-key",
                "errorFormat", "anthropic");

        HttpResponse<String> served = post("/app/openai/openai/deployments/gpt/chat/completions?api-version=2024-06-01",
                BODY);

        assertThat(served.body()).isEqualTo("{\"azure\":true}");
        assertThat(upstream.requests().get(0).header("api-key")).isEqualTo("azure-key-limited-0001");
        assertThat(upstream.requests().get(0).header("Authorization")).isNull();
        assertThat(upstream.requests().get(1).header("api-key")).isEqualTo("azure-key-good-000002");
        upstream.on("azure-key-good-000002", FakeUpstream.rateLimited("4"));
        HttpResponse<String> limited = post("/app/openai/openai/deployments/gpt/chat/completions", BODY);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(json(limited.body()).getJsonObject("error").getString("type")).isEqualTo("rate_limit_error");
        assertThat(json(limited.body()).getString("type")).isEqualTo("error");
    }

    @Test
    void withADumpDirectoryEveryAttemptIsWrittenWithItsKeyMasked(@TempDir Path dumps) throws Exception {
        upstream.on("sk-limited-000000001", FakeUpstream.rateLimited("30"))
                .on("sk-good-0000000000002", FakeUpstream.ok("{\"served\":true}"));
        start("openai", "sk-limited-000000001,sk-good-0000000000002", "dumpDir", dumps.toString());

        post("/app/openai/v1/chat/completions", BODY);

        // The client may have its answer a moment before the proxy reads the end and closes the file.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> {
            try (Stream<Path> listed = Files.list(dumps.resolve("openai"))) {
                return listed.sorted().reduce((first, second) -> second).map(last -> {
                    try {
                        return Files.readString(last).contains("{\"served\":true}");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }).orElse(false);
            }
        });
        java.util.List<Path> files;
        try (Stream<Path> listed = Files.list(dumps.resolve("openai"))) {
            files = listed.sorted().toList();
        }
        assertThat(files).hasSize(4);
        assertThat(files.get(0).getFileName().toString()).endsWith("-a1.request.txt");
        assertThat(files.get(3).getFileName().toString()).endsWith("-a2.response.txt");
        StringBuilder all = new StringBuilder();
        for (Path file : files) {
            all.append(Files.readString(file, java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(all).contains("POST ", "/v1/chat/completions", BODY, "429", "{\"served\":true}",
                "Bearer sk-…001", "Bearer sk-…002");
        assertThat(all.toString()).doesNotContain("sk-limited-000000001", "sk-good-0000000000002");
    }

    @Test
    void theStatusPageShowsMaskedHintsStatesAndCountsButNoKey() throws Exception {
        upstream.on("sk-limited-000000001", FakeUpstream.rateLimited("30"))
                .on("sk-good-0000000000002", FakeUpstream.ok("{}"));
        start("openai", "sk-limited-000000001,sk-good-0000000000002", "cooldownScope", "key");
        post("/app/openai/v1/chat/completions", BODY);

        String json = client.send(HttpRequest.newBuilder(proxy.uri("/app/status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String html = client.send(HttpRequest.newBuilder(proxy.uri("/app/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        JsonObject provider = json(json).getJsonArray("providers").getJsonObject(0);
        assertThat(provider.getString("name")).isEqualTo("openai");
        JsonObject first = provider.getJsonArray("keys").getJsonObject(0);
        assertThat(first.getString("hint")).isEqualTo("sk-…001");
        assertThat(first.getString("state")).isEqualTo("COOLING");
        assertThat(first.getJsonNumber("cooldownRemainingMs").longValue()).isBetween(25_000L, 30_000L);
        assertThat(first.getInt("lastStatus")).isEqualTo(429);
        assertThat(provider.getJsonArray("keys").getJsonObject(1).getInt("successes")).isEqualTo(1);
        assertThat(json + html).doesNotContain("sk-limited-000000001", "sk-good-0000000000002");
        assertThat(html).contains("data-refresh-seconds=\"5\"", "sk-…001", "COOLING");
    }

}
