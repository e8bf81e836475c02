package dev.keyfailover.servlet;

import static dev.keyfailover.chain.UsageShapes.joined;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.keyfailover.chain.UsageShapes;
import dev.keyfailover.testing.AppServer;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * behaviour.md §16 and §18 over real sockets: an OpenAI chat stream whose client did not ask for its
 * usage, called on {@code openai} (alice's token, a token {@code clientBudget}, failing with 503)
 * and served by its fallback {@code backup}. Whichever of the two routes asks the stream for its
 * usage, the usage chunk counts against alice's budget on {@code openai} and never reaches her.
 */
class StreamUsageThroughFallbackTest {

    private static final String ALICE = "tok-alice-streams-0123456789";
    private static final String STREAM = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}";
    private static final String ASKING = "\"stream_options\":{\"include_usage\":true}";
    /** What the client gets: the stream without the usage chunk. */
    private static final String CLIENTS_STREAM = joined(UsageShapes.OPENAI_EVENTS) + UsageShapes.OPENAI_DONE;

    private final FakeUpstream primary = FakeUpstream.start();
    private final FakeUpstream backup = FakeUpstream.start();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private AppServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        primary.close();
        backup.close();
    }

    /** {@code openai} falls back to {@code backup}, which streams with a usage chunk only when asked, as OpenAI does. */
    private void start(Map<String, String> primaryParams, Map<String, String> backupParams) throws Exception {
        primary.otherwise(FakeUpstream.status(503));
        backup.otherwise(FakeUpstream.dynamic(request -> {
            List<String> events = new ArrayList<>(List.of(UsageShapes.OPENAI_EVENTS));
            if (request.bodyText().contains("\"include_usage\":true")) {
                events.add(UsageShapes.OPENAI_USAGE_CHUNK);
            }
            events.add(UsageShapes.OPENAI_DONE);
            return new FakeUpstream.Reply(200, Map.of("Content-Type", "text/event-stream"),
                    joined(events.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8));
        }));
        Map<String, String> first = new LinkedHashMap<>(Map.of("provider", "openai",
                "baseUrl", primary.baseUri().toString(), "keys", "sk-streamfb-primary-key-000001",
                "fallback", "backup", "retries", "0", "authRecheck", "never", "clientTokens", "alice:" + ALICE,
                "clientBudget", "100 tokens per day"));
        first.putAll(primaryParams);
        Map<String, String> second = new LinkedHashMap<>(Map.of("provider", "openai",
                "baseUrl", backup.baseUri().toString(), "keys", "sk-streamfb-backup-key-0000002",
                "authRecheck", "never"));
        second.putAll(backupParams);
        server = AppServer.builder().attribute(RouteLifecycle.CLOCK_ATTRIBUTE, clock)
                .route("openai", first).route("backup", second).statusPage().start();
    }

    private HttpResponse<String> stream() throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri("openai/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ALICE)
                .POST(HttpRequest.BodyPublishers.ofString(STREAM)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What alice spent of her budget on {@code openai}, the route she called; 0 when it shows none. */
    private long spentOnTheCalledRoute() throws Exception {
        String json = client.send(HttpRequest.newBuilder(server.uri("status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonObject clients = Json.createReader(new StringReader(json)).readObject().getJsonArray("providers")
                .getJsonObject(0).getJsonObject("clients");
        return clients.containsKey("alice") ? clients.getJsonObject("alice").getJsonObject("budget").getJsonNumber("spent")
                .longValue() : 0;
    }

    @Test
    void aStreamTheFallbackAskedForItsUsageCountsOnTheCalledRouteAndLosesTheChunk() throws Exception {
        start(Map.of("streamUsage", "off"), Map.of("streamUsage", "inject"));

        HttpResponse<String> answer = stream();

        assertThat(answer.headers().firstValue("X-Keyfailover-Route")).hasValue("backup");
        assertThat(primary.requests().get(0).bodyText()).isEqualTo(STREAM);
        assertThat(backup.requests().get(0).bodyText()).isEqualTo("{" + ASKING + "," + STREAM.substring(1));
        assertThat(answer.body()).isEqualTo(CLIENTS_STREAM);
        await().untilAsserted(() -> assertThat(spentOnTheCalledRoute()).isEqualTo(11)); // 9 in, 2 out
    }

    @ParameterizedTest(name = "fallbackModel {0}")
    @ValueSource(strings = {"none", "gpt-4o-mini"})
    void aStreamTheCalledRouteAskedForItsUsageAsksOnTheFallbackTooAndLosesTheChunk(String fallbackModel)
            throws Exception {
        // openai's token budget makes it inject; backup injects nothing of its own.
        start(Map.of(), fallbackModel.equals("none") ? Map.of("streamUsage", "off")
                : Map.of("streamUsage", "off", "fallbackModel", fallbackModel));

        HttpResponse<String> answer = stream();

        assertThat(answer.headers().firstValue("X-Keyfailover-Route")).hasValue("backup");
        assertThat(primary.requests().get(0).bodyText()).isEqualTo("{" + ASKING + "," + STREAM.substring(1));
        String model = fallbackModel.equals("none") ? "gpt-4o" : fallbackModel;
        assertThat(backup.requests().get(0).bodyText())
                .isEqualTo("{" + ASKING + "," + STREAM.substring(1).replace("gpt-4o", model));
        assertThat(answer.body()).isEqualTo(CLIENTS_STREAM);
        await().untilAsserted(() -> assertThat(spentOnTheCalledRoute()).isEqualTo(11));
    }

    @Test
    void aClientThatAskedForTheUsageGetsItsChunkFromTheFallback() throws Exception {
        start(Map.of(), Map.of("streamUsage", "inject"));
        String asking = "{\"model\":\"gpt-4o\",\"stream\":true," + ASKING + ",\"messages\":[]}";

        String received = client.send(HttpRequest.newBuilder(server.uri("openai/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ALICE)
                .POST(HttpRequest.BodyPublishers.ofString(asking)).build(), HttpResponse.BodyHandlers.ofString()).body();

        assertThat(backup.requests().get(0).bodyText()).isEqualTo(asking);
        assertThat(received).isEqualTo(joined(UsageShapes.OPENAI_EVENTS) + UsageShapes.OPENAI_USAGE_CHUNK
                + UsageShapes.OPENAI_DONE);
        await().untilAsserted(() -> assertThat(spentOnTheCalledRoute()).isEqualTo(11));
    }
}
