package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** behaviour.md §8 on streams: chunk by chunk, aborted both ways, never a cut answer that looks complete. */
class StreamingTest {

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

    private HttpResponse<InputStream> openStream() throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private static String readEvent(BufferedReader reader) throws Exception {
        StringBuilder event = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null && !line.isEmpty()) {
            event.append(line);
        }
        return event.toString();
    }

    @Test
    void aStreamOfEventsLargerThanTheSmallestBuffersArrivesWhole() throws Exception {
        long total = 3 * 16 * 1024 + 100;
        upstream.on("sk-good-0000000000002", FakeUpstream.flood(total));
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(),
                "keys", "sk-good-0000000000002", "upstreamBufferSize", "1k"));

        HttpResponse<InputStream> response = openStream();

        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream body = response.body()) {
            byte[] all = body.readAllBytes();
            assertThat(all).hasSize((int) total);
            assertThat(new String(all, 0, 16 * 1024, StandardCharsets.US_ASCII))
                    .isEqualTo("data: " + "x".repeat(16 * 1024 - 8) + "\n\n");
        }
    }

    @Test
    void eachEventReachesTheClientBeforeUpstreamSendsTheNext() throws Exception {
        FakeUpstream.SseStream stream = FakeUpstream.sse("data: one\n\n", "data: two\n\n", "data: three\n\n",
                "data: [DONE]\n\n");
        upstream.on("sk-limited-000000001", FakeUpstream.rateLimited("30")).on("sk-good-0000000000002", stream);
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(),
                "keys", "sk-limited-000000001,sk-good-0000000000002"));

        HttpResponse<InputStream> response = openStream();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String[] expected = {"data: one", "data: two", "data: three", "data: [DONE]"};
            for (int i = 0; i < expected.length; i++) {
                stream.release(1);
                assertThat(readEvent(reader)).isEqualTo(expected[i]);
                // Upstream has not been allowed to send the next event: this one came through on its own.
                // (The counter may lag the bytes on the wire, hence "at most".)
                assertThat(stream.sent()).isLessThanOrEqualTo(i + 1);
            }
            assertThat(reader.readLine()).isNull();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.route().client().connectionStats().getLeased() == 0);
    }

    @Test
    void aClientThatLeavesMidStreamAbortsTheUpstreamExchangeAndLeaksNoConnection() throws Exception {
        // 20 MB in all: more than socket buffers can absorb, so only an aborted exchange ends early.
        String[] events = new String[10_000];
        for (int i = 0; i < events.length; i++) {
            events[i] = "data: event " + i + " " + "x".repeat(2000) + "\n\n";
        }
        FakeUpstream.SseStream stream = FakeUpstream.sse(events);
        upstream.on("sk-good-0000000000001", stream);
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(),
                "keys", "sk-good-0000000000001"));

        HttpResponse<InputStream> response = openStream();
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        stream.release(1);
        assertThat(readEvent(reader)).startsWith("data: event 0");
        reader.close();

        stream.releaseAll();
        await().atMost(Duration.ofSeconds(10)).until(stream::finished);
        assertThat(stream.sent()).isLessThan(events.length);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.route().client().connectionStats().getLeased() == 0);
    }

    @Test
    void anUpstreamThatBreaksMidStreamAbortsTheClientsResponseWithoutAFinalChunk() throws Exception {
        try (ServerSocket broken = new ServerSocket(0)) {
            CompletableFuture<Void> serve = CompletableFuture.runAsync(() -> answerThenBreak(broken));
            proxy = ProxyServer.servlet(Map.of("provider", "openai",
                    "baseUrl", "http://127.0.0.1:" + broken.getLocalPort(), "keys", "sk-good-0000000000001"));

            String answer = RawHttp.exchangeKeepAlive(proxy.port(), "POST /app/openai/v1/chat/completions HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            serve.get();

            assertThat(RawHttp.head(answer)).startsWith("HTTP/1.1 200").containsIgnoringCase("Transfer-Encoding: chunked");
            assertThat(RawHttp.body(answer)).contains("data: first");
            // A clean end would be the zero-length chunk; an aborted one stops short of it.
            assertThat(RawHttp.body(answer)).doesNotEndWith("0\r\n\r\n");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.route().client().connectionStats().getLeased() == 0);
    }

    @Test
    void aBodyShorterThanItsContentLengthNeverLooksComplete() throws Exception {
        try (ServerSocket broken = new ServerSocket(0)) {
            CompletableFuture<Void> serve = CompletableFuture.runAsync(() -> answerShort(broken));
            proxy = ProxyServer.servlet(Map.of("provider", "openai",
                    "baseUrl", "http://127.0.0.1:" + broken.getLocalPort(), "keys", "sk-good-0000000000001"));

            String answer = RawHttp.exchangeKeepAlive(proxy.port(), "GET /app/openai/v1/models HTTP/1.1\r\n"
                    + "Host: x\r\n\r\n");
            serve.get();

            String head = RawHttp.head(answer);
            if (head.startsWith("HTTP/1.1 200")) {
                // Announced length kept: the client sees fewer bytes than promised.
                assertThat(head).containsIgnoringCase("Content-Length: 100");
                assertThat(RawHttp.body(answer).length()).isLessThan(100);
            } else {
                assertThat(head).startsWith("HTTP/1.1 502");
            }
        }
    }

    private static void answerThenBreak(ServerSocket server) {
        try (Socket socket = server.accept()) {
            readRequestHead(socket);
            OutputStream out = socket.getOutputStream();
            String chunk = "data: first\n\n";
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoLinger(true, 0); // close with a reset, mid-body
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answerShort(ServerSocket server) {
        try (Socket socket = server.accept()) {
            readRequestHead(socket);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"partial\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readRequestHead(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        // The body of this test's requests is two bytes at most and not needed.
        if (in.available() > 0) {
            in.readNBytes(in.available());
        }
    }
}
