package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * behaviour.md §13: demo mode (status public, admin actions open) is for the built-in demo upstream
 * and its demo keys only. A provider given real keys without a base URL goes to its preset address
 * (Google's, Groq's, OpenAI's, Anthropic's): its pool holds real keys, so the example is not in demo
 * mode. Nothing here is sent upstream: the address is read from the route's configuration. (With no setting at all, {@link ExampleWarIT} reads the status without a token.)
 */
class DemoModeWarIT {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void geminiKeysWithoutABaseUrlEndDemoMode() throws Exception {
        assertStatusNeedsACredentialAndNoOneMayAct(Map.of("GEMINI_API_KEYS", "AIzaSyRealLookingKey0000000000000000001"))
                .close();
    }

    @Test
    void keysOfAnOptionalProviderAtItsPresetEndDemoMode() throws Exception {
        assertStatusNeedsACredentialAndNoOneMayAct(Map.of("GROQ_API_KEYS", "gsk_realLookingKey00000000000000000002"))
                .close();
    }

    @Test
    void openAiKeysWithoutABaseUrlGoToOpenAisAddressAndEndDemoMode() throws Exception {
        try (DeployedWar war = assertStatusNeedsACredentialAndNoOneMayAct(
                Map.of("OPENAI_API_KEYS", "sk-proj-realLookingKey000000000000000003"))) {
            assertThat(war.servletParameter("openai", "baseUrl")).isEqualTo("https://api.openai.com");
            assertThat(war.servletParameter("openai", "keys")).isEqualTo("sk-proj-realLookingKey000000000000000003");
            assertThat(war.servletParameter("anthropic", "baseUrl")).as("untouched").isEqualTo("/demo-upstream/anthropic");
        }
    }

    @Test
    void anthropicKeysFileWithoutABaseUrlGoesToAnthropicsAddressAndEndsDemoMode(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("anthropic.keys"), "sk-ant-realLookingKey00000000000000000004\n");
        try (DeployedWar war = assertStatusNeedsACredentialAndNoOneMayAct(Map.of("ANTHROPIC_KEYS_FILE", file.toString()))) {
            assertThat(war.servletParameter("anthropic", "baseUrl")).isEqualTo("https://api.anthropic.com");
            assertThat(war.servletParameter("anthropic", "keysFile")).isEqualTo(file.toString());
            assertThat(war.servletParameter("anthropic", "keys")).as("not the demo keys").isEmpty();
        }
    }

    /** Deploys with {@code settings}, asserts, and leaves the WAR running for the caller's own checks. */
    private DeployedWar assertStatusNeedsACredentialAndNoOneMayAct(Map<String, String> settings) throws Exception {
        DeployedWar war = DeployedWar.start(settings);
        try {
            HttpResponse<String> status = client.send(HttpRequest.newBuilder(war.uri("/status.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> add = client.send(HttpRequest.newBuilder(war.uri("/admin/keys?route=openai"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"keys\":[{\"key\":\"sk-anyone-000000000000009\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(status.statusCode()).as("status without a token").isEqualTo(401);
            assertThat(add.statusCode()).as("an add, no admin token being configured").isEqualTo(403);
            return war;
        } catch (Exception | AssertionError e) {
            war.close();
            throw e;
        }
    }
}
