package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeyHint;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged WAR at the root context of an embedded Jetty, with no configuration: the demo a newcomer sees.
 * The first two tests replay the README's curl session in its order (one deployment, so each sees the key
 * states the one before left), and assert the numbers it shows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExampleWarIT {

    private static final String OWN_KEY = "sk-my-own-key-1234567890";

    private static DeployedWar war;
    private static int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void deployTheWar() throws Exception {
        war = DeployedWar.start(Map.of());
        port = war.port();
    }

    @AfterAll
    static void stop() throws Exception {
        war.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> chat(String model) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String status() throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/status.json")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    @Order(1)
    void theFirstChatCompletionFailsOverPastTheDemoKeysToOneThatServesItsModel() throws Exception {
        HttpResponse<String> response = chat("gpt-4o-mini");

        assertThat(response.statusCode()).isEqualTo(200);
        // Rate-limited (for this model), revoked, out of quota: the key limited for gpt-4o only serves gpt-4o-mini.
        assertThat(response.body()).contains("served by the demo upstream with key sk-d…0004");
        assertThat(response.headers().firstValue("X-Keyfailover-Key")).contains("sk-d...0004");
        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).contains("4");
        assertThat(status()).contains("\"name\":\"openai\"").contains("\"state\":\"DISABLED\"")
                .contains("\"state\":\"EXHAUSTED\"").contains("\"model\":\"gpt-4o-mini\"")
                .doesNotContain("sk-demo-busy4o-0000000000004");
    }

    @Test
    @Order(2)
    void headersCountingDownToZeroMoveTheNextRequestOnWithoutA429() throws Exception {
        List<String> servedBy = new ArrayList<>();
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = chat("gpt-4o");
            assertThat(response.statusCode()).isEqualTo(200);
            servedBy.add(response.headers().firstValue("X-Keyfailover-Key").orElse("none"));
            attempts.add(response.headers().firstValue("X-Keyfailover-Attempts").orElse("none"));
        }

        // The countdown key serves 3 (its limit), says 0 left on the third, and the fourth goes on to the good key.
        assertThat(servedBy).containsExactly("sk-d...0005", "sk-d...0005", "sk-d...0005", "sk-d...0006");
        // The first spends the 429s of key 0 (now for gpt-4o) and of the key busy for gpt-4o; none spends one after.
        assertThat(attempts).containsExactly("3", "1", "1", "1");
        assertThat(status()).contains("\"model\":\"gpt-4o\"").contains("\"remaining\":0");
    }

    @Test
    void aStreamedAnthropicMessageArrivesEventByEvent() throws Exception {
        HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(uri("/anthropic/v1/messages"))
                .header("Content-Type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"claude\",\"max_tokens\":10,\"stream\":true,\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type.replace(" ", "")).containsIgnoringCase("text/event-stream;charset=utf-8"));
        List<String> events = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    events.add(line.substring(7));
                } else if (line.startsWith("data: ") && line.contains("\"text_delta\"")) {
                    text.append(json(line.substring(6)).getJsonObject("delta").getString("text"));
                }
            }
        }
        assertThat(events).startsWith("message_start", "content_block_start", "content_block_delta")
                .endsWith("content_block_stop", "message_delta", "message_stop");
        // The key's hint arrives as the demo wrote it, "…" included (UTF-8, as in the JSON answers).
        assertThat(text.toString()).matches("served by the demo upstream with key sk-a…\\d{4} ");
    }

    @Test
    void aStreamedChatCompletionArrivesInUtf8() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[]}"))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type.replace(" ", "")).containsIgnoringCase("text/event-stream;charset=utf-8"));
        StringBuilder text = new StringBuilder();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data: {")) {
                text.append(json(line.substring(6)).getJsonArray("choices").getJsonObject(0)
                        .getJsonObject("delta").getString("content"));
            }
        }
        assertThat(text.toString()).matches("served by the demo upstream with key sk-d…\\d{4} ");
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void aClientsOwnKeyIsUsedOnce() throws Exception {
        Map<String, Long> before = credentialsSeen();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/openai/v1/models"))
                .header("Authorization", "Bearer " + OWN_KEY).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("demo-model");
        // Upstream got one request, carrying the client's key and nothing else: no retry, no pool key next to it.
        Map<String, Long> seen = credentialsSeen();
        seen.replaceAll((credential, count) -> count - before.getOrDefault(credential, 0L));
        seen.values().removeIf(count -> count == 0);
        assertThat(seen).isEqualTo(Map.of("authorization " + KeyHint.of(OWN_KEY), 1L));
    }

    @Test
    void theNewestAnthropicSdksBearerIsTakenAsTheClientsKeyOrReplacedWhenItIsAPlaceholder() throws Exception {
        String ownKey = "sk-ant-my-own-key-1234567890";
        Map<String, Long> before = credentialsSeen();

        HttpResponse<String> own = anthropic("Bearer " + ownKey);
        HttpResponse<String> placeholder = anthropic("Bearer placeholder-the-proxy-replaces-it");

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("served by the demo upstream with key " + KeyHint.of(ownKey));
        assertThat(placeholder.statusCode()).isEqualTo(200);
        assertThat(placeholder.body()).contains("served by the demo upstream with key sk-a…");
        Map<String, Long> seen = credentialsSeen();
        seen.replaceAll((credential, count) -> count - before.getOrDefault(credential, 0L));
        seen.values().removeIf(count -> count == 0);
        assertThat(seen).containsEntry("authorization " + KeyHint.of(ownKey), 1L)
                .doesNotContainKey("authorization " + KeyHint.of("placeholder-the-proxy-replaces-it"));
    }

    private HttpResponse<String> anthropic(String authorization) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/anthropic/v1/messages"))
                .header("Content-Type", "application/json").header("anthropic-version", "2026-10-21")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude\",\"max_tokens\":10,\"messages\":[]}"))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** What the demo upstream has counted: requests per credential header and masked key hint. */
    private Map<String, Long> credentialsSeen() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/demo-upstream/credentials-seen")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Long> counts = new HashMap<>();
        json(response.body()).forEach((credential, count) -> counts.put(credential, ((JsonNumber) count).longValue()));
        return counts;
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    @Test
    void noProviderWhoseKeysAreNotSetHasARoute() throws Exception {
        String status = status();
        for (ProviderRoutes.OptionalRoute optional : ProviderRoutes.OPTIONAL) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri("/" + optional.provider()
                    + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(optional.provider()).isEqualTo(404);
            assertThat(status).doesNotContain("\"name\":\"" + optional.provider() + "\"");
        }
        assertThat(status).contains("\"name\":\"gemini\"");
    }

    @Test
    void theStatusPageIsServed() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/status")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("keyfailover status", "<h2 class=\"provider\">anthropic</h2>");
    }

    /**
     * behaviour.md §14: the admin API's {@code test} sends the provider's model list with the key; the
     * demo upstream lists models as each provider does, so the console's test of a good demo key is a 200
     * and Gemini's invalid one its 400.
     */
    @Test
    void theAdminTestOfADemoKeyGetsWhatTheProviderWouldAnswer() throws Exception {
        assertThat(test("anthropic", DemoMode.ANTHROPIC_KEYS[4])).isEqualTo(200);
        assertThat(test("gemini", ProviderRoutes.GEMINI_KEYS[3])).isEqualTo(200);
        assertThat(test("gemini", ProviderRoutes.GEMINI_KEYS[2])).as("invalid").isEqualTo(400);
        assertThat(test("openai", DemoMode.OPENAI_KEYS[5])).isEqualTo(200);
    }

    /** The upstream status the admin API's test of this key reports. */
    private int test(String route, String key) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri("/admin/keys/" + KeyFingerprint.of(key)
                + "/test?route=" + route)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.createReader(new StringReader(answer.body())).readObject().getInt("status");
    }
}
