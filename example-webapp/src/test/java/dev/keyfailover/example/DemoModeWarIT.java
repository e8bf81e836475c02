package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * behaviour.md §13: demo mode (status public, admin actions open) is for the built-in demo upstream
 * and its demo keys only. A provider given real keys without a base URL goes to its preset address
 * (Google's, Groq's): its pool holds real keys, so the example is not in demo mode. Nothing here is
 * sent upstream. (With no setting at all, {@link ExampleWarIT} reads the status without a token.)
 */
class DemoModeWarIT {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void geminiKeysWithoutABaseUrlEndDemoMode() throws Exception {
        assertStatusNeedsACredentialAndNoOneMayAct(Map.of("GEMINI_API_KEYS", "AIzaSyRealLookingKey0000000000000000001"));
    }

    @Test
    void keysOfAnOptionalProviderAtItsPresetEndDemoMode() throws Exception {
        assertStatusNeedsACredentialAndNoOneMayAct(Map.of("GROQ_API_KEYS", "gsk_realLookingKey00000000000000000002"));
    }

    private void assertStatusNeedsACredentialAndNoOneMayAct(Map<String, String> settings) throws Exception {
        try (DeployedWar war = DeployedWar.start(settings)) {
            HttpResponse<String> status = client.send(HttpRequest.newBuilder(war.uri("/status.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> add = client.send(HttpRequest.newBuilder(war.uri("/admin/keys?route=openai"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"keys\":[{\"key\":\"sk-anyone-000000000000009\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(status.statusCode()).as("status without a token").isEqualTo(401);
            assertThat(add.statusCode()).as("an add, no admin token being configured").isEqualTo(403);
        }
    }
}
