package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The custom providers of docs/custom-providers.md (com.example.AcmeProviderFactory and
 * com.example.BorealisProviderFactory), found through their service file and run end to end.
 */
class CustomProviderTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start().keyHeader("X-Acme-Token");
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    @Test
    void aProviderFactoryInAServiceFileIsSelectedByItsTypeAndFailsOverWithItsOwnHeaderAndErrors() throws Exception {
        upstream.on("acme-key-limited-0001", FakeUpstream.rateLimited("12"))
                .on("acme-key-good-000002", FakeUpstream.ok("{\"acme\":true}"));
        proxy = ProxyServer.servlet(Map.of("provider", "acme", "baseUrl", upstream.baseUri().toString(),
                "keys", "acme-key-limited-0001,acme-key-good-000002", "region", "us"));

        HttpResponse<String> served = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v2/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        upstream.on("acme-key-good-000002", FakeUpstream.rateLimited("3"));
        HttpResponse<String> exhausted = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v2/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(served.body()).isEqualTo("{\"acme\":true}");
        assertThat(upstream.keysSeen()).startsWith("acme-key-limited-0001", "acme-key-good-000002");
        assertThat(upstream.requests()).allSatisfy(seen -> {
            assertThat(seen.header("X-Acme-Region")).isEqualTo("us");
            assertThat(seen.path()).isEqualTo("/v2/jobs");
        });
        assertThat(exhausted.statusCode()).isEqualTo(429);
        assertThat(exhausted.headers().firstValue("Retry-After")).hasValueSatisfying(value ->
                assertThat(Integer.parseInt(value)).isBetween(2, 3));
        assertThat(exhausted.body()).isEqualTo("{\"fault\":\"RATE_LIMITED\"}");
    }

    @Test
    void aProviderOfOnesOwnReusesTheBuiltInPartsForItsOwnQuotaAnswers() throws Exception {
        String daily = "borealis-daily-000001";
        String plan = "borealis-plan-0000002";
        String good = "borealis-good-0000003";
        upstream.keyHeader("X-Borealis-Key")
                .on(daily, FakeUpstream.json(429, "{\"error\":{\"message\":\"d\",\"type\":\"daily_quota\"}}"))
                .on(plan, FakeUpstream.json(429, "{\"error\":{\"message\":\"p\",\"type\":\"model_not_in_plan\"}}"))
                .on(good, FakeUpstream.withHeaders(FakeUpstream.ok("{\"borealis\":true}"), "X-Borealis-Requests-Left", "7"));
        proxy = ProxyServer.servlet(Map.of("provider", "borealis", "baseUrl", upstream.baseUri().toString(),
                "keys", daily + "," + plan + "," + good));
        HttpRequest aurora = HttpRequest.newBuilder(proxy.uri("/app/openai/v1/engines/aurora/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

        Instant before = Instant.now();
        HttpResponse<String> served = client.send(aurora, HttpResponse.BodyHandlers.ofString());
        List<KeySnapshot> keys = proxy.route().pool().snapshot();
        Instant after = Instant.now();
        HttpResponse<String> again = client.send(aurora, HttpResponse.BodyHandlers.ofString());
        upstream.on(good, FakeUpstream.rateLimited("5"));
        HttpResponse<String> exhausted = client.send(aurora, HttpResponse.BodyHandlers.ofString());

        assertThat(served.body()).isEqualTo("{\"borealis\":true}");
        assertThat(again.headers().firstValue("X-Keyfailover-Attempts")).as("straight to the good key").hasValue("1");
        assertThat(upstream.keysSeen()).containsExactly(daily, plan, good, good, good);
        Instant midnight = before.atZone(com.example.BorealisProviderFactory.QUOTA_DAY).toLocalDate().plusDays(1)
                .atStartOfDay(com.example.BorealisProviderFactory.QUOTA_DAY).toInstant();
        KeySnapshot.ModelSnapshot dailyAurora = keys.get(0).models().get(0);
        assertThat(dailyAurora.model()).isEqualTo("aurora");
        assertThat(dailyAurora.cooldownRemaining()).as("until midnight in Oslo, not capped by maxCooldown")
                .isBetween(Duration.between(after, midnight).minusSeconds(1), Duration.between(before, midnight));
        assertThat(keys.get(2).models().get(0).limits().window("requests")).hasValueSatisfying(window ->
                assertThat(window.remaining()).isEqualTo(7));
        assertThat(exhausted.statusCode()).isEqualTo(429);
        assertThat(exhausted.headers().firstValue("Retry-After")).isPresent();
        assertThat(exhausted.body()).contains("all configured keys", "rate_limit");
    }

    @Test
    void aLimitsHeaderTheProviderCannotReadIsIgnoredAndTheAnswerServed() throws Exception {
        // The guide's BorealisProviderFactory parses X-Borealis-Requests-Left with Long.parseLong (§10: never an error).
        String key = "borealis-good-0000003";
        upstream.keyHeader("X-Borealis-Key")
                .on(key, FakeUpstream.withHeaders(FakeUpstream.ok("{\"borealis\":true}"), "X-Borealis-Requests-Left", "many"));
        proxy = ProxyServer.servlet(Map.of("provider", "borealis", "baseUrl", upstream.baseUri().toString(), "keys", key));

        HttpResponse<String> served = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/engines/aurora/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo("{\"borealis\":true}");
        assertThat(proxy.route().pool().snapshot().get(0).models()).allSatisfy(model ->
                assertThat(model.limits().window("requests")).isEmpty());
    }

    @Test
    void aLimitsHeaderTheProviderCannotReadIsLoggedOnceAndThenCounted() throws Exception {
        String key = "borealis-good-0000003";
        upstream.keyHeader("X-Borealis-Key")
                .on(key, FakeUpstream.withHeaders(FakeUpstream.ok("{\"borealis\":true}"), "X-Borealis-Requests-Left", "many"));
        proxy = ProxyServer.servlet(Map.of("provider", "borealis", "baseUrl", upstream.baseUri().toString(), "keys", key));
        CapturedLogs.clear();

        for (int i = 0; i < 20; i++) {
            assertThat(client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/engines/aurora/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
        }
        proxy.close(); // the route's stop writes what is still counted
        proxy = null;

        List<String> lines = CapturedLogs.events().stream()
                .filter(event -> event.logger().equals("dev.keyfailover.chain.ProviderFaults"))
                .map(CapturedLogs.Event::message).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("openai: reading the rate-limit headers failed: java.lang.NumberFormatException at ")
                .endsWith("; ignored");
        assertThat(lines.get(1)).startsWith("openai: 19 more like \"reading the rate-limit headers failed: "
                + "java.lang.NumberFormatException; ignored\"");
    }
}
