package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example's {@code openai-fallback} route (behaviour.md §18), through the packaged WAR, with
 * {@code OPENAI_FALLBACK_*} given as context-params of the same names (as a deployment may, instead
 * of the environment) and the demo upstream behind both routes: a request for the demo's silent
 * model times out on {@code openai} and is served by {@code openai-fallback} with its model.
 */
class FallbackRouteWarIT {

    private static DeployedWar war;
    private static int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void deployTheWarWithAFallbackRoute() throws Exception {
        war = DeployedWar.start(Map.of(
                "keyfailover.responseTimeout", "1s",
                "OPENAI_FALLBACK_BASE_URL", "/demo-upstream/openai",
                "OPENAI_FALLBACK_API_KEYS", "sk-demo-good-000000000000006",
                "OPENAI_FALLBACK_MODEL", "gpt-4o-mini"));
        port = war.port();
    }

    @AfterAll
    static void stop() throws Exception {
        war.close();
    }

    @Test
    void aSilentProviderIsReplacedByTheFallbackRouteAskingForItsModel() throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/openai/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + DemoFaults.SILENT_MODEL
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Keyfailover-Route")).hasValue(OpenAiFallback.ROUTE);
        assertThat(answer.headers().firstValue("X-Keyfailover-Model")).hasValue("gpt-4o-mini");
        assertThat(answer.body()).contains("\"model\":\"gpt-4o-mini\"");
    }

    @Test
    void theFallbackRouteIsServedAtItsOwnPathToo() throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/openai-fallback/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Keyfailover-Route")).hasValue(OpenAiFallback.ROUTE);
        assertThat(answer.headers().firstValue("X-Keyfailover-Model")).as("renamed only as a fallback").isEmpty();
    }
}
