package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example's provider routes from its settings ({@link ProviderRoutes}), through the packaged WAR,
 * given as context-params of the variables' names (as a deployment may, instead of the environment):
 * {@code GROQ_*} set adds a {@code groq} route, {@code MISTRAL_*} unset adds none, and
 * {@code GEMINI_BASE_URL} with {@code GEMINI_KEYS_FILE} takes {@code gemini} out of demo mode with the
 * file's keys. The demo upstream stands in for both providers. (Without any of them, {@link ExampleWarIT}
 * shows no optional route at all.)
 */
class ProviderRoutesWarIT {

    private static DeployedWar war;
    private static int port;
    private static Path keysFile;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void deployTheWarWithGroqKeysAndAGeminiKeysFile() throws Exception {
        keysFile = Files.createTempFile("gemini-keys", ".txt");
        Files.writeString(keysFile, "AIza-demo-invalid-0000000003\nAIza-file-good-key-000000000009\n");
        war = DeployedWar.start(Map.of(
                "GROQ_BASE_URL", "/demo-upstream/openai",
                "GROQ_API_KEYS", "sk-demo-revoked-000000000002,gsk_demo-good-0000000000007",
                "GEMINI_BASE_URL", "/demo-upstream/gemini",
                "GEMINI_KEYS_FILE", keysFile.toString()));
        port = war.port();
    }

    @AfterAll
    static void stop() throws Exception {
        war.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aProviderWhoseKeysAreSetHasItsRouteAndFailsOverThere() throws Exception {
        HttpResponse<String> answer = post("/groq/v1/chat/completions", "{\"model\":\"llama-3.3-70b\",\"messages\":[]}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Keyfailover-Attempts")).as("past the revoked key").hasValue("2");
        assertThat(answer.body()).contains("served by the demo upstream with key gsk_…0007");
        assertThat(status()).contains("\"name\":\"groq\"");
    }

    @Test
    void aProviderWhoseKeysAreNotSetHasNoRoute() throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/mistral/v1/models")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(status()).doesNotContain("\"name\":\"mistral\"");
    }

    @Test
    void geminiTakesItsKeysFromTheFileInsteadOfTheDemoKeys() throws Exception {
        HttpResponse<String> answer = post("/gemini/v1beta/models/gemini-2.5-flash:generateContent",
                "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Keyfailover-Attempts")).as("past the invalid key").hasValue("2");
        assertThat(answer.body()).contains("served by the demo upstream with key AIza…0009");
        assertThat(status()).doesNotContain("AIza…0001");
    }

    @Test
    void theAdminApiListsTheKeysFilesKeysAndAChangeOfTheFileIsApplied() throws Exception {
        HttpResponse<String> list = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/admin/keys?route=gemini")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"source\":\"file\"").doesNotContain("AIza-file-good-key");

        Files.writeString(keysFile, "AIza-demo-invalid-0000000003\nAIza-file-good-key-000000000009\n"
                + "AIza-file-added-key-00000000010\n");

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2))
                .until(() -> status().contains("AIza…0010"));
    }

    private String status() throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
