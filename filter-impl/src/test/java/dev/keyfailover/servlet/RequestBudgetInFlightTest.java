package dev.keyfailover.servlet;

import static dev.keyfailover.servlet.BudgetRoutes.BODY;
import static dev.keyfailover.servlet.BudgetRoutes.K1;
import static dev.keyfailover.servlet.BudgetRoutes.K2;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.keyfailover.testing.AppServer;
import dev.keyfailover.testing.FakeUpstream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §18, the request's budget, for the attempt in flight, over real sockets: a silent
 * upstream is cut when the budget runs out, not at {@code responseTimeout}; a later attempt waits
 * only for what the earlier ones left; a streamed answer's head held back for its first byte is
 * cut too (the answer has not started); a route's own shorter {@code responseTimeout} still
 * answers as itself; and a budget spent in flight sends nothing to a fallback route. The upstream watchdog
 * sweeps on the real clock here, so budgets are short and the bounds wide.
 */
class RequestBudgetInFlightTest {


    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private final FakeUpstream backup = FakeUpstream.start();
    private final FakeUpstream.Stall stall = FakeUpstream.stall();
    private AppServer server;

    @AfterEach
    void stop() throws Exception {
        stall.release();
        if (server != null) {
            server.close();
        }
        upstream.close();
        backup.close();
    }

    /** The budget tests' routes ({@link BudgetRoutes}), {@code more} over {@code openai}'s defaults. */
    private void start(String... more) throws Exception {
        server = BudgetRoutes.start(upstream, backup, more);
    }

    private HttpResponse<String> post() throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri("openai/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject error(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject().getJsonObject("error");
    }

    private static void assertBudgetAnswer(HttpResponse<String> response, int attempts) {
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(error(response).getString("code")).isEqualTo("timeout");
        assertThat(error(response).getString("message")).as(response.body())
                .contains("request's budget (requestBudget) after " + attempts + " attempt(s)");
        assertThat(response.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).hasValue(Integer.toString(attempts));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aSilentUpstreamIsCutWhenTheRequestsBudgetRunsOutNotAtResponseTimeout() throws Exception {
        upstream.otherwise(stall);
        start("responseTimeout", "30s", "requestBudget", "400ms");

        long start = System.nanoTime();
        HttpResponse<String> response = post();
        long took = millisSince(start);

        assertBudgetAnswer(response, 1);
        assertThat(took).as("cut at the budget, never before it, far from the 30 s").isBetween(400L, 5000L);
        assertThat(upstream.keysSeen()).as("the timeout is not retried").containsExactly(K1);
    }

    @Test
    void theAttemptAfterA429WaitsForItsHeadOnlyWhatIsLeftOfTheBudget() throws Exception {
        upstream.on(K1, FakeUpstream.dynamic(request -> {
            pauseMillis(700);
            return FakeUpstream.rateLimited("60");
        }));
        upstream.on(K2, stall);
        start("responseTimeout", "30s", "requestBudget", "1s");

        long start = System.nanoTime();
        HttpResponse<String> response = post();
        long took = millisSince(start);

        assertBudgetAnswer(response, 2);
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        // The second attempt has about 300 ms left; a whole budget of its own would end past 1.7 s.
        assertThat(took).as("the budget's end, not the second attempt's own 1 s").isBetween(1000L, 1550L);
    }

    @Test
    void aRouteWhoseResponseTimeoutIsShorterThanTheBudgetStillAnswersTheResponseTimeout504() throws Exception {
        upstream.otherwise(stall);
        start("responseTimeout", "300ms", "requestBudget", "20s");

        long start = System.nanoTime();
        HttpResponse<String> response = post();
        long took = millisSince(start);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(error(response).getString("message")).as(response.body())
                .contains("no answer within 300 ms (responseTimeout)").doesNotContain("requestBudget");
        assertThat(response.headers().firstValue("x-should-retry")).isEmpty();
        assertThat(took).as("the route's 300 ms, not the 20 s budget").isLessThan(5000L);
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void aBudgetThatRunsOutInFlightSendsNothingToTheFallbackRoute() throws Exception {
        upstream.otherwise(stall);
        backup.otherwise(FakeUpstream.ok("{\"served_by\":\"backup\"}"));
        // A responseTimeout of 3 s: without the budget's cut, the timeout would go to the fallback after it.
        start("responseTimeout", "3s", "requestBudget", "400ms", "fallback", "backup");

        HttpResponse<String> response = post();

        assertBudgetAnswer(response, 1);
        assertThat(backup.requests()).as("the budget is the request's: no fallback starts").isEmpty();
        assertThat(response.headers().firstValue("X-Keyfailover-Route")).hasValue("openai");
    }

    @Test
    void aStreamsHeadHeldBackForItsFirstByteIsCutWhenTheBudgetRunsOut() throws Exception {
        FakeUpstream.SseStream silent = FakeUpstream.sse("data: never\n\n");
        upstream.on(K1, silent);
        start("responseTimeout", "30s", "firstByteTimeout", "20s", "requestBudget", "400ms");

        long start = System.nanoTime();
        HttpResponse<String> response = post();
        long took = millisSince(start);
        silent.releaseAll();

        assertBudgetAnswer(response, 1);
        assertThat(response.body()).doesNotContain("never");
        assertThat(took).as("the answer had not started: cut at the budget, not after the 20 s").isBetween(400L, 5000L);
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    private static void pauseMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
