package dev.keyfailover.servlet;

import static dev.keyfailover.servlet.BudgetRoutes.BODY;
import static dev.keyfailover.servlet.BudgetRoutes.K1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.testing.AppServer;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §18, the breaker and the request's budget, over real sockets: a budget that runs out
 * waiting on the route's provider (its head, here) is a failure of the (route, model), as a timeout
 * is, so a provider silent past every request's budget opens its breaker and requests reach the
 * fallback at once; a probe whose budget ran out so keeps it open; a budget that ran out waiting for
 * a connection of the route's own pool counts for nothing. The routes keep time by a fake clock (the
 * breaker's cooldown passes when the test says); the budget's cut of a silent head, swept by the
 * upstream watchdog on the real clock, comes after the budget in real time, so budgets are short.
 */
class BudgetBreakerOverHttpTest {

    /** Whatever goes wrong, no request of these tests waits longer. */
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final long BUDGET_MILLIS = 800;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private final FakeUpstream backup = FakeUpstream.start();
    private final FakeUpstream.Stall silence = FakeUpstream.stall();
    private final MutableClock clock = MutableClock.atFixedStart();
    private AppServer server;

    @AfterEach
    void stop() throws Exception {
        silence.release();
        if (server != null) {
            server.close();
        }
        upstream.close();
        backup.close();
    }

    /** The budget tests' routes ({@link BudgetRoutes}) on the fake clock, {@code openai} falling back to {@code backup}. */
    private void start(String... more) throws Exception {
        String[] params = new String[more.length + 6];
        System.arraycopy(new String[] {"requestBudget", BUDGET_MILLIS + "ms", "fallback", "backup",
                "breakerThreshold", "2"}, 0, params, 0, 6);
        System.arraycopy(more, 0, params, 6, more.length);
        server = BudgetRoutes.start(upstream, backup, clock, params);
        backup.otherwise(FakeUpstream.ok("{\"served_by\":\"backup\"}"));
    }

    private HttpRequest request(String body) {
        return HttpRequest.newBuilder(server.uri("openai/v1/chat/completions")).timeout(BOUND)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> post() throws Exception {
        return client.send(request(BODY), HttpResponse.BodyHandlers.ofString());
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void assertBudgetAnswer(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertThat(response.body()).contains("request's budget (requestBudget)");
        assertThat(response.headers().firstValue("X-Keyfailover-Route")).hasValue("openai");
    }

    private static void assertServedByTheFallback(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("backup");
        assertThat(response.headers().firstValue("X-Keyfailover-Route")).hasValue("backup");
    }

    @Test
    void silentRouteWhoseSilenceOutlastsTheBudgetOpensItsBreaker() throws Exception {
        upstream.otherwise(silence);
        start("responseTimeout", "10m");

        assertBudgetAnswer(post());
        assertBudgetAnswer(post());
        assertThat(upstream.requests()).as("each request spent its budget on the silent route").hasSize(2);
        assertThat(backup.requests()).as("the budget's 504 goes to no fallback").isEmpty();

        long start = System.nanoTime();
        HttpResponse<String> third = post();
        long took = millisSince(start);

        assertServedByTheFallback(third);
        assertThat(upstream.requests()).as("the open breaker skips the silent route").hasSize(2);
        assertThat(took).as("at once, not after the %d ms budget", BUDGET_MILLIS).isLessThan(BUDGET_MILLIS / 2);
    }

    @Test
    void aProbeWhoseBudgetRanOutOnTheSilentRouteKeepsItsBreakerOpen() throws Exception {
        upstream.otherwise(silence);
        start("responseTimeout", "10m");
        post();
        post();
        assertServedByTheFallback(post());
        clock.advance(Duration.ofSeconds(10)); // the default breakerCooldown

        assertBudgetAnswer(post());
        assertThat(upstream.requests()).as("the probe went to the silent route").hasSize(3);

        long start = System.nanoTime();
        HttpResponse<String> next = post();
        assertServedByTheFallback(next);
        assertThat(upstream.requests()).as("open again for a whole cooldown").hasSize(3);
        assertThat(millisSince(start)).isLessThan(BUDGET_MILLIS / 2);
    }

    @Test
    void budgetSpentWaitingForAPooledConnectionNeitherOpensNorClosesTheBreaker() throws Exception {
        upstream.otherwise(FakeUpstream.status(503));
        FakeUpstream.SseStream stream = FakeUpstream.sse("data: one\n\n", "data: two\n\n").release(1);
        // Another model's stream: its success is its own breaker's, not gpt-4o-mini's.
        upstream.on(K1, "gpt-stream", stream);
        start("retries", "0", "maxConnections", "1", "connectionRequestTimeout", "20s");

        assertServedByTheFallback(post());
        assertThat(upstream.requests()).as("the first failure in a row").hasSize(1);

        HttpResponse<InputStream> holding = client.sendAsync(request(BODY.replace("gpt-4o-mini", "gpt-stream")),
                HttpResponse.BodyHandlers.ofInputStream()).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(holding.statusCode()).as("the stream holds the route's only connection").isEqualTo(200);
        assertBudgetAnswer(post());
        assertThat(upstream.requests()).as("no connection came free for it").hasSize(2);
        stream.releaseAll();
        try (InputStream body = holding.body()) {
            body.readAllBytes();
        }

        assertServedByTheFallback(post());
        assertThat(upstream.requests()).as("not opened by the wait for a connection: the route was asked").hasSize(3);
        assertServedByTheFallback(post());
        assertThat(upstream.requests()).as("not closed by it either: the second failure in a row opened it")
                .hasSize(3);
    }
}
