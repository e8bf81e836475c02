package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §18 end to end, client to servlet to fake upstream over real sockets: what the
 * client sees of the proxy's retries (the answer, {@code X-Keyfailover-Attempts},
 * {@code x-should-retry: false} after retries, none with {@code retries=0} or for BYOK) and what
 * the status page says of the keys (all VALID). The chain tests measure the waits on a fake clock;
 * these wait for real, so the backoff is short.
 */
class TransientRetriesOverHttpTest {

    private static final String K1 = "sk-first-00000000001";
    private static final String K2 = "sk-second-0000000002";
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(String... more) throws Exception {
        Map<String, String> params = new HashMap<>();
        params.put("provider", "openai");
        params.put("baseUrl", upstream.baseUri().toString());
        params.put("keys", K1 + "," + K2);
        params.put("retryBackoff", "20ms");
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        proxy = ProxyServer.servlet(params);
    }

    private HttpResponse<String> post(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String keyStates() throws Exception {
        JsonObject status = Json.createReader(new StringReader(client.send(HttpRequest.newBuilder(
                proxy.uri("/app/status.json")).build(), HttpResponse.BodyHandlers.ofString()).body())).readObject();
        StringBuilder states = new StringBuilder();
        status.getJsonArray("providers").getJsonObject(0).getJsonArray("keys")
                .forEach(key -> states.append(key.asJsonObject().getString("state")).append(' '));
        return states.toString().trim();
    }

    @Test
    void a503ForGoodReachesTheClientAfterThreeAttemptsMarkedNotToRetryAndNoKeyIsMarked() throws Exception {
        upstream.otherwise(FakeUpstream.json(503, "{\"error\":{\"message\":\"overloaded\"}}")
                .withHeader("x-should-retry", "true"));
        start();

        HttpResponse<String> response = post();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"overloaded\"}}");
        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).hasValue("3");
        assertThat(response.headers().allValues("x-should-retry")).as("upstream's true replaced").containsExactly("false");
        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K1);
        assertThat(keyStates()).isEqualTo("VALID VALID");
    }

    @Test
    void aServerErrorOnceIsRetriedAndServedWithoutTheNoRetryHeader() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        upstream.otherwise(FakeUpstream.dynamic(request -> requests.getAndIncrement() == 0 ? FakeUpstream.status(500)
                : FakeUpstream.ok("{\"served\":true}")));
        start();

        HttpResponse<String> response = post();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"served\":true}");
        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).hasValue("2");
        assertThat(response.headers().firstValue("x-should-retry")).isEmpty();
        assertThat(keyStates()).isEqualTo("VALID VALID");
    }

    @Test
    void withRetriesOffA503PassesAtOnceWithoutTheNoRetryHeader() throws Exception {
        upstream.otherwise(FakeUpstream.status(503));
        start("retries", "0");

        HttpResponse<String> response = post();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).hasValue("1");
        assertThat(response.headers().firstValue("x-should-retry")).isEmpty();
    }

    @Test
    void aByokRequestGetsOneAttemptAndUpstreamsAnswerAsItIs() throws Exception {
        upstream.otherwise(FakeUpstream.status(503).withHeader("x-should-retry", "true"));
        start();

        HttpResponse<String> response = post("Authorization", "Bearer sk-client-own-key-0000000009");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(upstream.keysSeen()).containsExactly("sk-client-own-key-0000000009");
        assertThat(response.headers().allValues("x-should-retry")).containsExactly("true");
    }

    @Test
    void aRetryAfterThatWouldOutlastTheRequestBudgetIsAProviderShaped504() throws Exception {
        upstream.otherwise(FakeUpstream.status(503).withHeader("Retry-After", "2"));
        start("requestBudget", "1s");

        long started = System.nanoTime();
        HttpResponse<String> response = post();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(504);
        JsonObject error = Json.createReader(new StringReader(response.body())).readObject().getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("api_error");
        assertThat(error.getString("code")).isEqualTo("timeout");
        assertThat(error.getString("message")).contains("requestBudget");
        assertThat(response.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(upstream.keysSeen()).as("no wait that could not end in time").containsExactly(K1);
        assertThat(tookMillis).as("answered at once, not after the 2 s").isLessThan(1000);
    }
}
