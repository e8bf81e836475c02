package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo upstream's failures of the provider itself (behaviour.md §18), through the packaged
 * WAR. Deployed with the context-params {@link DemoMode} sets from {@code KEYFAILOVER_RESPONSE_TIMEOUT}
 * and {@code KEYFAILOVER_FIRST_BYTE_TIMEOUT} already given (1 s), as if those were set: a
 * context-param the deployment has is not replaced by the listener.
 */
class ProviderFailuresWarIT {

    private static final String GOOD_KEY = "sk-demo-good-000000000000006";

    private static DeployedWar war;
    private static int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void deployTheWarWithShortTimeouts() throws Exception {
        war = DeployedWar.start(Map.of(
                "keyfailover.responseTimeout", "1s",
                "keyfailover.firstByteTimeout", "1s"));
        port = war.port();
    }

    @AfterAll
    static void stop() throws Exception {
        war.close();
    }

    private HttpResponse<String> post(String path, String model, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[]}"));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSilentCaseGivesA504SayingNoAnswerWithinTheResponseTimeoutLongBeforeTheUpstreamWouldAnswer()
            throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> answer = post("/openai/v1/chat/completions", DemoFaults.SILENT_MODEL, null);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer.statusCode()).isEqualTo(504);
        assertThat(answer.body()).contains("no answer within 1 s").doesNotContain("sk-demo");
        assertThat(took).as("cut by the 1 s timeout, not the demo's %s of silence", DemoFaults.SILENCE)
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void theFlakyCaseFailsEveryOtherRequestWith503Or500() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(post("/demo-upstream/openai/v1/chat/completions", DemoFaults.FLAKY_MODEL, GOOD_KEY)
                    .statusCode());
        }

        List<Integer> failed = statuses.get(0) == 200 ? List.of(statuses.get(1), statuses.get(3))
                : List.of(statuses.get(0), statuses.get(2));
        List<Integer> served = statuses.get(0) == 200 ? List.of(statuses.get(0), statuses.get(2))
                : List.of(statuses.get(1), statuses.get(3));
        assertThat(served).as("every other request served, in %s", statuses).containsOnly(200);
        assertThat(failed).as("the others fail, in %s", statuses).containsExactlyInAnyOrder(503, 500);
    }
}
