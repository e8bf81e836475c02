package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.keyfailover.chain.UsageShapes;
import dev.keyfailover.metrics.MeterNames;
import dev.keyfailover.testing.AppServer;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §16 and §18 over real sockets: a client's {@code clientBudget} is on the route it
 * called, whichever route served it. The primary route {@code openai} fails transiently (503, no
 * retries), so its fallback {@code backup} serves; the answers count against {@code openai}'s budget
 * for the client, never against {@code backup}'s.
 */
class ClientBudgetThroughFallbackTest {

    private static final String PRIMARY_KEY = "sk-clientfb-primary-key-0000001";
    private static final String BACKUP_KEY = "sk-clientfb-backup-key-00000002";
    private static final String ALICE = "tok-alice-0123456789abcdef";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final FakeUpstream primary = FakeUpstream.start();
    private final FakeUpstream backup = FakeUpstream.start();
    // An hour before midnight UTC.
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T23:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
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

    /** {@code openai} (alice's token, failing with 503) falls back to {@code backup}; the maps add to each one's params. */
    private void start(Map<String, String> primaryParams, Map<String, String> backupParams) throws Exception {
        primary.otherwise(FakeUpstream.status(503));
        backup.otherwise(FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        Map<String, String> first = new LinkedHashMap<>(Map.of("provider", "openai",
                "baseUrl", primary.baseUri().toString(), "keys", PRIMARY_KEY, "fallback", "backup", "retries", "0",
                "authRecheck", "never", "clientTokens", "alice:" + ALICE));
        first.putAll(primaryParams);
        Map<String, String> second = new LinkedHashMap<>(Map.of("provider", "openai",
                "baseUrl", backup.baseUri().toString(), "keys", BACKUP_KEY, "authRecheck", "never"));
        second.putAll(backupParams);
        server = AppServer.builder().attribute(RouteLifecycle.CLOCK_ATTRIBUTE, clock)
                .attribute(RouteLifecycle.METER_REGISTRY_ATTRIBUTE, meters)
                .route("openai", first).route("backup", second).statusPage().start();
    }

    private HttpResponse<String> chat(String route) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(route + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ALICE)
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code clients} of the route's entry in {@code /status.json}. */
    private JsonObject clients(String route) throws Exception {
        String json = client.send(HttpRequest.newBuilder(server.uri("status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.createReader(new StringReader(json)).readObject().getJsonArray("providers")
                .getValuesAs(JsonObject.class).stream().filter(entry -> entry.getString("name").equals(route))
                .findFirst().orElseThrow().getJsonObject("clients");
    }

    /** The route's section of the status page: from its heading to the next route's. */
    private String pageSection(String route) throws Exception {
        String page = client.send(HttpRequest.newBuilder(server.uri("status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        int start = page.indexOf("<h2 class=\"provider\">" + route + "</h2>");
        assertThat(start).isNotNegative();
        int end = page.indexOf("<h2 class=\"provider\">", start + 1);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    /** Alice's requests the route {@code provider} served; counted after the answer's usage was. */
    private double served(String provider) {
        Counter counter = meters.find(MeterNames.REQUESTS).tag("provider", provider).tag("outcome", "served")
                .tag("client", "alice").counter();
        return counter == null ? 0 : counter.count();
    }

    /** Alice's tokens the route {@code provider}'s keys served, by type. */
    private double tokens(String provider, String type) {
        Counter counter = meters.find(MeterNames.TOKENS).tag("provider", provider).tag("type", type)
                .tag("client", "alice").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aClientBudgetOnTheCalledRouteCountsAnswersItsFallbackServed() throws Exception {
        start(Map.of("clientBudget", "2 requests per day"), Map.of());

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> answer = chat("openai");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-Keyfailover-Route")).hasValue("backup");
        }
        await().untilAsserted(() -> assertThat(served("openai")).isEqualTo(2));

        HttpResponse<String> refused = chat("openai");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("3600"); // to midnight UTC
        assertThat(refused.body()).contains("alice").contains("budget").doesNotContain(ALICE);
        assertThat(primary.requests()).hasSize(2);
        assertThat(backup.requests()).hasSize(2);
        // The usage itself stays with the route whose key served.
        assertThat(tokens("backup", "output")).isEqualTo(20);
        assertThat(tokens("openai", "output")).isZero();

        clock.advance(java.time.Duration.ofHours(1)); // midnight UTC: alice's budget is whole again
        assertThat(chat("openai").statusCode()).isEqualTo(200);
        assertThat(backup.requests()).hasSize(3);
    }

    /** Alice's tokens of {@code type} the route {@code provider}'s keys served, tagged with {@code model}. */
    private double tokens(String provider, String model, String type) {
        Counter counter = meters.find(MeterNames.TOKENS).tag("provider", provider).tag("model", model)
                .tag("type", type).tag("client", "alice").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aFallbackThatRenamedTheModelCountsItsTokensForTheModelItServed() throws Exception {
        start(Map.of(), Map.of("fallbackModel", "gpt-4o-mini"));

        HttpResponse<String> answer = chat("openai");

        assertThat(answer.headers().firstValue("X-Keyfailover-Model")).hasValue("gpt-4o-mini");
        await().untilAsserted(() -> assertThat(served("openai")).isEqualTo(1));
        // backup's upstream served gpt-4o-mini: its usage is that model's, not the one alice named.
        assertThat(tokens("backup", "gpt-4o-mini", "output")).isEqualTo(10);
        assertThat(tokens("backup", "gpt-4o", "output")).isZero();
    }

    @Test
    void theFallbackRoutesOwnClientBudgetIsNotChargedForAnotherRoutesClients() throws Exception {
        start(Map.of(), Map.of("clientTokens", "alice:" + ALICE, "clientBudget", "1 requests per day"));

        assertThat(chat("openai").statusCode()).isEqualTo(200);
        assertThat(chat("openai").statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(served("openai")).isEqualTo(2));
        assertThat(backup.requests()).hasSize(2);

        assertThat(chat("backup").statusCode()).isEqualTo(200);
        assertThat(backup.requests()).hasSize(3);
        // The direct call is one of backup's own clients': it spends backup's budget of 1.
        await().untilAsserted(() -> assertThat(served("backup")).isEqualTo(1));
        assertThat(chat("backup").statusCode()).isEqualTo(429);
        assertThat(backup.requests()).hasSize(3);
    }

    @Test
    void theCalledRoutesStatusShowsTheBudgetOfAClientOnlyItsFallbackServed() throws Exception {
        start(Map.of("clientBudget", "3 requests per day"), Map.of());

        assertThat(chat("openai").headers().firstValue("X-Keyfailover-Route")).hasValue("backup");
        assertThat(chat("openai").headers().firstValue("X-Keyfailover-Route")).hasValue("backup");
        await().untilAsserted(() -> assertThat(served("openai")).isEqualTo(2));

        // openai served none of alice's answers: no usage of hers there, but the budget that will refuse her.
        assertThat(clients("openai").keySet()).containsExactly("alice");
        assertThat(clients("openai").getJsonObject("alice").toString()).isEqualTo("{\"tokensToday\":0,"
                + "\"requestsToday\":0,\"tokens\":0,\"requests\":0,\"budget\":{\"budget\":\"3 requests per day\","
                + "\"amount\":3,\"spent\":2,\"isSpent\":false,\"resets\":\"2026-03-02T00:00:00Z\"}}");
        assertThat(pageSection("openai")).contains("<tr><td>alice</td><td>0 (0)</td><td>0 (0)</td>"
                + "<td class=\"budget\">2 of 3 requests per day, resets 2026-03-02T00:00:00Z</td></tr>");
        // Her usage is the serving route's, without a budget there.
        assertThat(clients("backup").getJsonObject("alice").getInt("requests")).isEqualTo(2);
        assertThat(clients("backup").getJsonObject("alice").containsKey("budget")).isFalse();

        assertThat(chat("openai").statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(served("openai")).isEqualTo(3));
        assertThat(clients("openai").getJsonObject("alice").getJsonObject("budget").getBoolean("isSpent")).isTrue();
        assertThat(pageSection("openai")).contains("3 of 3 requests per day (spent), resets 2026-03-02T00:00:00Z");
        assertThat(chat("openai").statusCode()).isEqualTo(429);

        clock.advance(java.time.Duration.ofHours(1)); // a new window: nothing counted in it, no row
        assertThat(clients("openai").keySet()).isEmpty();
        assertThat(pageSection("openai")).doesNotContain("alice");
    }
}
