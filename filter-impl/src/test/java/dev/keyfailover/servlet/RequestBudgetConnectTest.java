package dev.keyfailover.servlet;

import static dev.keyfailover.servlet.BudgetRoutes.BODY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.StringReader;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.testing.AppServer;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.UnansweredPort;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §18, the request's budget, for the waits before a request is sent, over real
 * sockets: a request waiting for a pooled connection, or connecting to an upstream whose connect
 * (or TLS handshake) hangs, gets the budget's 504 when its budget ends, not after
 * {@code connectionRequestTimeout} or {@code connectTimeout}, and no fallback route takes it over;
 * a route whose own timeout is the shorter still fails as that timeout (the fallback may take it).
 * Each wait ends at the budget's deadline, however long the waits before it took: a connect or a
 * head after a long wait for the pool's only connection ends when the budget does, not a whole
 * budget later. Time passes on the real clock (the pool and the socket keep it), so budgets are
 * short and the bounds wide.
 */
class RequestBudgetConnectTest {

    /** Whatever goes wrong, no request of these tests waits longer. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(BOUND).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private final FakeUpstream backup = FakeUpstream.start();
    private UnansweredPort unanswered;
    private AppServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (unanswered != null) {
            unanswered.close();
        }
        upstream.close();
        backup.close();
    }

    /** The budget tests' routes ({@link BudgetRoutes}), {@code more} over {@code openai}'s defaults. */
    private void start(String... more) throws Exception {
        server = BudgetRoutes.start(upstream, backup, more);
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(server.uri("openai/v1/chat/completions"))
                .header("Content-Type", "application/json").timeout(BOUND)
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    }

    private HttpResponse<String> post() throws Exception {
        return client.send(request(), HttpResponse.BodyHandlers.ofString());
    }

    /** A stream whose head and first event came, holding its upstream connection until released. */
    private HttpResponse<InputStream> openStream() throws Exception {
        return client.sendAsync(request(), HttpResponse.BodyHandlers.ofInputStream())
                .get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    private static JsonObject error(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject().getJsonObject("error");
    }

    private static void assertBudgetAnswer(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertThat(error(response).getString("code")).isEqualTo("timeout");
        assertThat(error(response).getString("message")).as(response.body())
                .contains("request's budget (requestBudget) after 1 attempt(s)");
        assertThat(response.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(response.headers().firstValue("X-Keyfailover-Attempts")).hasValue("1");
        assertThat(response.headers().firstValue("X-Keyfailover-Route")).hasValue("openai");
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aRequestWaitingForAPooledConnectionGetsTheBudgets504WhenItsBudgetEndsNotAtConnectionRequestTimeout()
            throws Exception {
        FakeUpstream.SseStream stream = FakeUpstream.sse("data: one\n\n", "data: two\n\n").release(1);
        upstream.otherwise(stream);
        start("maxConnections", "1", "connectionRequestTimeout", "20s", "requestBudget", "500ms",
                "fallback", "backup");
        HttpResponse<InputStream> holding = openStream();
        assertThat(holding.statusCode()).isEqualTo(200);

        long start = System.nanoTime();
        HttpResponse<String> response = post();
        long took = millisSince(start);
        stream.releaseAll();

        assertBudgetAnswer(response);
        assertThat(took).as("cut at the budget, never before it, far from the 20 s").isBetween(500L, 5000L);
        assertThat(upstream.requests()).as("the second request never got a connection").hasSize(1);
        assertThat(backup.requests()).as("the budget is the request's: no fallback starts").isEmpty();
        try (InputStream body = holding.body()) {
            assertThat(new String(body.readAllBytes())).as("the stream that started is not cut")
                    .contains("data: one").contains("data: two");
        }
    }

    @Test
    void aRouteWhoseOwnConnectionRequestTimeoutIsShorterStillTimesOutAndItsFallbackServes() throws Exception {
        FakeUpstream.SseStream stream = FakeUpstream.sse("data: one\n\n", "data: two\n\n").release(1);
        upstream.otherwise(stream);
        backup.otherwise(FakeUpstream.ok("{\"served_by\":\"backup\"}"));
        start("maxConnections", "1", "connectionRequestTimeout", "300ms", "requestBudget", "20s",
                "fallback", "backup");
        HttpResponse<InputStream> holding = openStream();

        long start = System.nanoTime();
        HttpResponse<String> response = post();
        long took = millisSince(start);
        stream.releaseAll();
        holding.body().close();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("backup");
        assertThat(response.headers().firstValue("X-Keyfailover-Route")).hasValue("backup");
        assertThat(took).as("the route's 300 ms, not the 20 s budget").isLessThan(5000L);
    }

    @Test
    void aConnectThatHangsGetsTheBudgets504WhenItsBudgetEndsNotAtConnectTimeout() throws Exception {
        unanswered = UnansweredPort.connectHangs();
        start("baseUrl", unanswered.uri("http").toString(), "connectTimeout", "20s", "requestBudget", "1s",
                "fallback", "backup");

        long start = System.nanoTime();
        HttpResponse<String> response = post();
        long took = millisSince(start);

        assertBudgetAnswer(response);
        assertThat(took).as("cut at the budget, never before it, far from the 20 s").isBetween(1000L, 5000L);
        assertThat(backup.requests()).as("the budget is the request's: no fallback starts").isEmpty();
    }

    @Test
    void aTlsHandshakeThatHangsGetsTheBudgets504WhenItsBudgetEnds() throws Exception {
        unanswered = UnansweredPort.silent();
        start("baseUrl", unanswered.uri("https").toString(), "connectTimeout", "20s", "requestBudget", "1s");

        long start = System.nanoTime();
        HttpResponse<String> response = post();
        long took = millisSince(start);

        assertBudgetAnswer(response);
        assertThat(took).as("the handshake reads under the connect timeout the budget shortened")
                .isBetween(1000L, 5000L);
    }

    @Test
    void aRouteWhoseOwnConnectTimeoutIsShorterStillAnswersCouldNotConnect() throws Exception {
        unanswered = UnansweredPort.connectHangs();
        start("baseUrl", unanswered.uri("http").toString(), "connectTimeout", "300ms", "requestBudget", "20s");

        long start = System.nanoTime();
        HttpResponse<String> response = post();
        long took = millisSince(start);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertThat(error(response).getString("message")).as(response.body())
                .contains("could not connect to upstream: no connection within connectTimeout")
                .doesNotContain("requestBudget");
        assertThat(response.headers().firstValue("x-should-retry")).as("a timeout is not retried, nor answered as the"
                + " budget").isEmpty();
        assertThat(took).as("the route's 300 ms, not the 20 s budget").isBetween(300L, 5000L);
    }

    /** The head and first event of a stream that keeps its connection until {@link #endStream}, then closes it. */
    private static void startStream(Socket connection) throws IOException {
        InputStream in = connection.getInputStream();
        byte[] seen = new byte[4];
        // The request's head, up to its blank line (the rest may stay unread: the connection is closed after).
        for (int b = in.read(); b >= 0; b = in.read()) {
            System.arraycopy(seen, 1, seen, 0, 3);
            seen[3] = (byte) b;
            if (new String(seen, StandardCharsets.US_ASCII).equals("\r\n\r\n")) {
                break;
            }
        }
        OutputStream out = connection.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nb\r\ndata: one\n\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void endStream(Socket connection) throws IOException {
        OutputStream out = connection.getOutputStream();
        out.write("b\r\ndata: two\n\n\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        connection.close();
    }

    private static void sleepUntil(long startNanos, long millis) throws InterruptedException {
        long left = millis - millisSince(startNanos);
        if (left > 0) {
            Thread.sleep(left); // real time: the pool's wait runs on it
        }
    }

    @Test
    void aConnectAfterAWaitForThePoolThatTookMostOfTheBudgetEndsAtTheBudgetNotABudgetLater() throws Exception {
        unanswered = UnansweredPort.acceptingUntilHung();
        start("baseUrl", unanswered.uri("http").toString(), "maxConnections", "1", "connectTimeout", "20s",
                "connectionRequestTimeout", "20s", "requestBudget", "2s", "fallback", "backup");
        CompletableFuture<Socket> first = CompletableFuture.supplyAsync(() -> {
            try {
                Socket connection = unanswered.accept((int) BOUND.toMillis());
                startStream(connection);
                return connection;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        HttpResponse<InputStream> holding = openStream();
        assertThat(holding.statusCode()).isEqualTo(200);
        Socket held = first.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        unanswered.hangConnects(); // the pool's connection closes with its stream: the next request must connect

        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(request(),
                HttpResponse.BodyHandlers.ofString());
        sleepUntil(start, 1500);
        endStream(held); // the pool's only connection, held for 1.5 s of the 2 s budget, is let go
        HttpResponse<String> response = waiting.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        long took = millisSince(start);

        assertBudgetAnswer(response);
        assertThat(took).as("the connect ends at the budget's 2 s, not 2 s after the 1.5 s wait for the pool (3.5 s)")
                .isBetween(2000L, 2900L);
        assertThat(backup.requests()).as("the budget is the request's: no fallback starts").isEmpty();
        try (InputStream body = holding.body()) {
            assertThat(new String(body.readAllBytes())).as("the stream that started is not cut")
                    .contains("data: one").contains("data: two");
        }
    }

    @Test
    void aSilentHeadAfterAWaitForThePoolThatTookMostOfTheBudgetEndsAtTheBudgetNotABudgetLater() throws Exception {
        FakeUpstream.SseStream stream = FakeUpstream.sse("data: one\n\n", "data: two\n\n").release(1);
        upstream.otherwise(stream);
        start("maxConnections", "1", "connectionRequestTimeout", "20s", "requestBudget", "2s", "fallback", "backup");
        HttpResponse<InputStream> holding = openStream();
        assertThat(holding.statusCode()).isEqualTo(200);
        FakeUpstream.Stall silent = FakeUpstream.stall();
        upstream.otherwise(silent); // the next request, on the same connection, gets no answer

        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(request(),
                HttpResponse.BodyHandlers.ofString());
        sleepUntil(start, 1500);
        stream.releaseAll(); // the pool's only connection, held for 1.5 s of the 2 s budget, comes back
        HttpResponse<String> response = waiting.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        long took = millisSince(start);
        silent.release();

        assertBudgetAnswer(response);
        assertThat(silent.held()).as("the request was sent and its head waited for").isEqualTo(1);
        assertThat(took).as("the head's wait ends at the budget's 2 s (a sweep late at most), not 2 s after the"
                + " 1.5 s wait for the pool (3.5 s)").isBetween(2000L, 2900L);
        assertThat(backup.requests()).as("the budget is the request's: no fallback starts").isEmpty();
        holding.body().close();
    }
}
