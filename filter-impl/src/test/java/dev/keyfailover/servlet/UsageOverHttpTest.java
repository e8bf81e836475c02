package dev.keyfailover.servlet;

import static dev.keyfailover.chain.UsageShapes.joined;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.keyfailover.chain.UsageShapes;
import dev.keyfailover.metrics.MeterNames;
import dev.keyfailover.pool.KeyHint;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * behaviour.md §16 over real sockets: usage read from each provider's answers as they pass, counted
 * per key (today by the UTC day of the route's clock, and in all) on the status JSON and on
 * {@code keyfailover.tokens}; {@code streamUsage=inject} for OpenAI streams.
 */
class UsageOverHttpTest {

    private static final String LIMITED = "sk-limited-000000000001";
    private static final String GOOD = "sk-good-00000000000002";
    private static final String SSE = "text/event-stream";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T23:00:00Z"));
    private FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(String provider, String... more) throws Exception {
        Map<String, String> params = new HashMap<>();
        params.put("provider", provider);
        params.put("baseUrl", upstream.baseUri().toString());
        params.put("keys", LIMITED + "," + GOOD);
        params.put("authRecheck", "never");
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        proxy = ProxyServer.servlet(params, clock, Map.of(RouteLifecycle.METER_REGISTRY_ATTRIBUTE, registry));
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/openai" + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static FakeUpstream.Reply events(String... events) {
        return new FakeUpstream.Reply(200, Map.of("Content-Type", SSE),
                joined(events).getBytes(StandardCharsets.UTF_8));
    }

    private JsonObject status() throws Exception {
        String json = client.send(HttpRequest.newBuilder(proxy.uri("/app/status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.createReader(new StringReader(json)).readObject().getJsonArray("providers").getJsonObject(0);
    }

    private JsonObject keyUsage(int index) throws Exception {
        return status().getJsonArray("keys").getJsonObject(index).getJsonObject("usage");
    }

    /** The route is the servlet {@code openai}, whichever its provider: that is its {@code provider} tag. */
    private double tokens(String key, String model, String type) {
        Counter counter = registry.find(MeterNames.TOKENS).tags("provider", "openai", "key", KeyHint.of(key),
                "model", model, "type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void gzippedAnswersPassAsSentAndTheirUsageCounts() throws Exception {
        // The SDKs send Accept-Encoding: gzip, and providers compress: a budget must count those answers too.
        byte[] json = gzip(UsageShapes.OPENAI_JSON);
        byte[] stream = gzip(joined(joined(UsageShapes.OPENAI_EVENTS), UsageShapes.OPENAI_USAGE_CHUNK,
                UsageShapes.OPENAI_DONE));
        upstream.on(GOOD, FakeUpstream.dynamic(request -> new String(request.body(), StandardCharsets.UTF_8)
                .contains("\"stream\":true")
                ? new FakeUpstream.Reply(200, Map.of("Content-Type", SSE, "Content-Encoding", "gzip"), stream)
                : new FakeUpstream.Reply(200, Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"),
                        json)));
        start("openai", "keys", GOOD);

        assertThat(postBytes("{\"model\":\"gpt-4o\",\"messages\":[]}")).isEqualTo(json);
        assertThat(postBytes("{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[]}")).isEqualTo(stream);

        await().untilAsserted(() -> assertThat(tokens(GOOD, "gpt-4o", "input")).isEqualTo(19 + 9));
        await().untilAsserted(() -> assertThat(tokens(GOOD, "gpt-4o", "output")).isEqualTo(10 + 2));
        await().untilAsserted(() -> assertThat(keyUsage(0).getInt("tokens")).isEqualTo(29 + 11));
    }

    private byte[] postBytes(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private static byte[] gzip(String text) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Test
    void openAiAnswersCountForTheKeyThatServedTodayAndInAll() throws Exception {
        upstream.on(LIMITED, FakeUpstream.rateLimited("30")).on(GOOD, FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        start("openai");
        String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"secret prompt\"}]}";

        assertThat(post("/v1/chat/completions", body).statusCode()).isEqualTo(200);
        assertThat(post("/v1/chat/completions", body).body()).isEqualTo(UsageShapes.OPENAI_JSON);

        await().untilAsserted(() -> assertThat(tokens(GOOD, "gpt-4o", "input")).isEqualTo(38));
        await().untilAsserted(() -> assertThat(tokens(GOOD, "gpt-4o", "output")).isEqualTo(20));
        await().untilAsserted(() -> assertThat(tokens(GOOD, "gpt-4o", "cached_input")).isEqualTo(8));
        await().untilAsserted(() -> assertThat(registry.find(MeterNames.TOKENS).tags("key", KeyHint.of(LIMITED))
                .counters()).isEmpty());
        await().untilAsserted(() -> assertThat(keyUsage(1).toString()).isEqualTo(
                "{\"tokensToday\":58,\"requestsToday\":2,\"tokens\":58,\"requests\":2}"));
        await().untilAsserted(() -> assertThat(keyUsage(0).toString()).isEqualTo(
                "{\"tokensToday\":0,\"requestsToday\":0,\"tokens\":0,\"requests\":0}"));

        clock.advance(Duration.ofHours(1)); // 2026-03-02T00:00Z: a new UTC day
        await().untilAsserted(() -> assertThat(keyUsage(1).toString()).isEqualTo(
                "{\"tokensToday\":0,\"requestsToday\":0,\"tokens\":58,\"requests\":2}"));
        post("/v1/chat/completions", body);
        await().untilAsserted(() -> assertThat(keyUsage(1).toString()).isEqualTo(
                "{\"tokensToday\":29,\"requestsToday\":1,\"tokens\":87,\"requests\":3}"));

        String page = client.send(HttpRequest.newBuilder(proxy.uri("/app/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("<td class=\"usage-today\">29 (1)</td><td class=\"usage-all\">87 (3)</td>");
        assertThat(page + status()).doesNotContain(GOOD).doesNotContain("secret prompt");
        for (Meter meter : registry.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                assertThat(tag.getValue()).doesNotContain("000000").doesNotContain("secret");
            }
        }
    }

    /** behaviour.md §14, §16: a kept key keeps its counts when the list changes around it, also on the status. */
    @Test
    void aKeysUsageStaysItsOwnOnTheStatusWhenTheKeysFileDropsTheKeyBeforeIt(@TempDir Path dir) throws Exception {
        upstream.on(LIMITED, FakeUpstream.status(401)).on(GOOD, FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        Path file = Files.writeString(dir.resolve("keys"), LIMITED + "\n" + GOOD + "\n");
        start("openai", "keys", "", "keysFile", file.toString());
        assertThat(post("/v1/chat/completions", "{\"model\":\"gpt-4o\"}").statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(keyUsage(1).getInt("tokens")).isEqualTo(29));

        Files.writeString(file, GOOD + "\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> status().getJsonArray("keys").size() == 1);

        assertThat(keyUsage(0).getInt("tokens")).as("the good key, now first").isEqualTo(29);
        assertThat(keyUsage(0).getInt("requests")).isEqualTo(1);
        String page = client.send(HttpRequest.newBuilder(proxy.uri("/app/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("<td class=\"usage-all\">29 (1)</td>");
    }

    @Test
    void anthropicStreamAndJson() throws Exception {
        upstream.close();
        upstream = FakeUpstream.start().keyHeader("x-api-key");
        upstream.on(LIMITED, FakeUpstream.ok(UsageShapes.ANTHROPIC_JSON))
                .on(GOOD, FakeUpstream.dynamic(request -> events(UsageShapes.ANTHROPIC_EVENTS)));
        start("anthropic", "keyOrder", "round-robin");
        String body = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,\"messages\":[]}";
        String stream = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,\"stream\":true,\"messages\":[]}";

        assertThat(post("/v1/messages", body).statusCode()).isEqualTo(200);
        assertThat(post("/v1/messages", stream).body()).isEqualTo(joined(UsageShapes.ANTHROPIC_EVENTS));

        await().untilAsserted(() -> assertThat(tokens(LIMITED, "claude-sonnet-4-20250514", "input")).isEqualTo(20));
        await().untilAsserted(() -> assertThat(tokens(LIMITED, "claude-sonnet-4-20250514", "cached_input"))
                .isEqualTo(5));
        await().untilAsserted(() -> assertThat(tokens(GOOD, "claude-sonnet-4-20250514", "input")).isEqualTo(25));
        await().untilAsserted(() -> assertThat(tokens(GOOD, "claude-sonnet-4-20250514", "output")).isEqualTo(15));
        await().untilAsserted(() -> assertThat(keyUsage(0).getInt("tokens")).isEqualTo(26));
        await().untilAsserted(() -> assertThat(keyUsage(1).getInt("tokens")).isEqualTo(40));
    }

    @Test
    void geminiJsonAndStream() throws Exception {
        upstream.close();
        upstream = FakeUpstream.start().keyHeader("x-goog-api-key");
        upstream.on(LIMITED, FakeUpstream.status(401)).otherwise(FakeUpstream.dynamic(request ->
                request.path().endsWith(":streamGenerateContent") ? events(UsageShapes.GEMINI_EVENTS)
                        : FakeUpstream.ok(UsageShapes.GEMINI_JSON)));
        start("gemini");
        String body = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}";

        assertThat(post("/v1beta/models/gemini-2.5-flash:generateContent", body).statusCode()).isEqualTo(200);
        assertThat(post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", body).body())
                .isEqualTo(joined(UsageShapes.GEMINI_EVENTS));

        await().untilAsserted(() -> assertThat(tokens(GOOD, "gemini-2.5-flash", "input")).isEqualTo(16));
        await().untilAsserted(() -> assertThat(tokens(GOOD, "gemini-2.5-flash", "output")).isEqualTo(57));
        await().untilAsserted(() -> assertThat(keyUsage(1).getInt("requests")).isEqualTo(2));
        await().untilAsserted(() -> assertThat(keyUsage(0).getInt("requests")).isZero());
    }

    /** The upstream answers with the usage chunk only when the request asked for it, as OpenAI does. */
    private void openAiStreams() {
        upstream.otherwise(FakeUpstream.dynamic(request -> {
            List<String> answer = new ArrayList<>(List.of(UsageShapes.OPENAI_EVENTS));
            if (request.bodyText().contains("\"include_usage\":true")) {
                answer.add(UsageShapes.OPENAI_USAGE_CHUNK);
            }
            answer.add(UsageShapes.OPENAI_DONE);
            return events(answer.toArray(String[]::new));
        }));
    }

    @Test
    void injectAsksForAnUncompressedStreamSoThatTheUsageChunkIsDroppedForAClientAcceptingGzip() throws Exception {
        // As OpenAI would: gzip when the request accepts it, the usage chunk only when asked for.
        upstream.otherwise(FakeUpstream.dynamic(request -> {
            List<String> answer = new ArrayList<>(List.of(UsageShapes.OPENAI_EVENTS));
            if (request.bodyText().contains("\"include_usage\":true")) {
                answer.add(UsageShapes.OPENAI_USAGE_CHUNK);
            }
            answer.add(UsageShapes.OPENAI_DONE);
            String text = joined(answer.toArray(String[]::new));
            String accepted = request.header("Accept-Encoding");
            return accepted != null && accepted.contains("gzip")
                    ? new FakeUpstream.Reply(200, Map.of("Content-Type", SSE, "Content-Encoding", "gzip"), gzip(text))
                    : new FakeUpstream.Reply(200, Map.of("Content-Type", SSE), text.getBytes(StandardCharsets.UTF_8));
        }));
        start("openai", "keys", GOOD, "streamUsage", "inject");

        byte[] received = postBytes("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[]}");

        assertThat(upstream.requests().get(0).header("Accept-Encoding")).isNull();
        assertThat(new String(received, StandardCharsets.UTF_8))
                .isEqualTo(joined(UsageShapes.OPENAI_EVENTS) + UsageShapes.OPENAI_DONE);
        await().untilAsserted(() -> assertThat(tokens(GOOD, "gpt-4o-mini", "input")).isEqualTo(9));
        await().untilAsserted(() -> assertThat(tokens(GOOD, "gpt-4o-mini", "output")).isEqualTo(2));
    }

    @Test
    void injectAsksForTheUsageAndDropsItFromAClientThatDidNotAsk() throws Exception {
        openAiStreams();
        start("openai", "keys", GOOD, "streamUsage", "inject");
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[]}";

        String received = post("/v1/chat/completions", body).body();

        assertThat(upstream.requests().get(0).bodyText())
                .isEqualTo("{\"stream_options\":{\"include_usage\":true}," + body.substring(1));
        assertThat(received).isEqualTo(joined(UsageShapes.OPENAI_EVENTS) + UsageShapes.OPENAI_DONE);
        assertThat(chunksAsTheSdkParsesThem(received)).hasSize(3)
                .allSatisfy(chunk -> assertThat(chunk.getJsonArray("choices")).isNotEmpty());
        await().untilAsserted(() -> assertThat(tokens(GOOD, "gpt-4o-mini", "input")).isEqualTo(9));
        await().untilAsserted(() -> assertThat(tokens(GOOD, "gpt-4o-mini", "output")).isEqualTo(2));

        String asking = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[]}";
        String withUsage = post("/v1/chat/completions", asking).body();
        assertThat(upstream.requests().get(1).bodyText()).isEqualTo(asking);
        assertThat(chunksAsTheSdkParsesThem(withUsage)).hasSize(4).last()
                .satisfies(chunk -> assertThat(chunk.getJsonObject("usage").getInt("total_tokens")).isEqualTo(11));
        await().untilAsserted(() -> assertThat(tokens(GOOD, "gpt-4o-mini", "input")).isEqualTo(18));
    }

    @Test
    void withoutInjectAStreamIsTheClientsAsSent() throws Exception {
        openAiStreams();
        start("openai", "keys", GOOD);
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[]}";

        assertThat(post("/v1/chat/completions", body).body())
                .isEqualTo(joined(UsageShapes.OPENAI_EVENTS) + UsageShapes.OPENAI_DONE);
        assertThat(upstream.requests().get(0).bodyText()).isEqualTo(body);
        await().untilAsserted(() -> assertThat(keyUsage(0).toString())
                .isEqualTo("{\"tokensToday\":0,\"requestsToday\":1,\"tokens\":0,\"requests\":1}"));
    }

    @Test
    void clientsAreCountedByNameAndModelTagsAreBounded() throws Exception {
        upstream.otherwise(FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        start("openai", "keys", GOOD, "clientTokens", "alice:tok-alice-1234567890,bob:tok-bob-1234567890",
                "maxModelTags", "2");
        for (String model : List.of("m-1", "m-2", "m-3", "m-4", "m-1")) {
            assertThat(post("/v1/chat/completions", "{\"model\":\"" + model + "\"}",
                    "Authorization", "Bearer tok-alice-1234567890").statusCode()).isEqualTo(200);
        }
        assertThat(post("/v1/chat/completions", "{\"model\":\"m-2\"}", "Authorization", "Bearer tok-bob-1234567890")
                .body()).isEqualTo(UsageShapes.OPENAI_JSON);

        await().untilAsserted(() -> assertThat(registry.find(MeterNames.TOKENS).tag("type", "input").counters())
                .extracting(counter -> counter.getId().getTag("model") + "/" + counter.getId().getTag("client")
                        + "=" + (long) counter.count())
                .containsExactlyInAnyOrder("m-1/alice=38", "m-2/alice=19", "other/alice=38", "m-2/bob=19"));
        JsonObject clients = status().getJsonObject("clients");
        assertThat(clients.keySet()).containsExactly("alice", "bob");
        assertThat(clients.getJsonObject("alice").getInt("tokens")).isEqualTo(145);
        assertThat(clients.getJsonObject("bob").getInt("requestsToday")).isEqualTo(1);
        assertThat(status().toString()).doesNotContain("tok-alice");
    }

    /** As openai-java's stream parser reads an SSE body: each {@code data:} line a chunk, until {@code [DONE]}. */
    private static List<JsonObject> chunksAsTheSdkParsesThem(String sse) {
        List<JsonObject> chunks = new ArrayList<>();
        for (String event : sse.split("\n\n")) {
            for (String line : event.split("\n")) {
                if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                    chunks.add(Json.createReader(new StringReader(line.substring(6))).readObject());
                }
            }
        }
        return chunks;
    }
}
