package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import dev.keyfailover.testing.RawUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The three timeouts of an answer (behaviour.md §18, Timeouts), over real sockets: the head is
 * waited for under {@code responseTimeout}, silence inside the body under
 * {@code streamIdleTimeout}, and with {@code firstByteTimeout} a streamed answer's head is held
 * until its first body byte. Timeouts are short (hundreds of ms); bounds are generous.
 */
class UpstreamTimeoutsTest {

    private static final String KEYS = "sk-first-00000000001,sk-second-0000000002";
    private static final String FIRST_KEY = "sk-first-00000000001";
    private static final String SSE_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked";
    /** How long a silent upstream stays silent: far longer than {@link #BOUND}. */
    private static final Duration LONG = Duration.ofSeconds(20);
    /** A generous bound for anything cut by a timeout of a few hundred ms; a test that waited for {@link #LONG} fails. */
    private static final Duration BOUND = Duration.ofSeconds(6);

    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    private void start(java.net.URI upstream, String... params) throws Exception {
        proxy = ProxyServer.servlet(Routes.openai(upstream, KEYS, null, params));
    }

    private String post() throws IOException {
        String body = "{\"model\":\"gpt-4o\"}";
        return RawHttp.exchange(proxy.port(), "POST /app/openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                + body);
    }

    private String stream() throws IOException {
        return RawHttp.exchangeKeepAlive(proxy.port(), "GET /app/openai/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    /**
     * A stream read until the proxy closes or aborts the response; a proxy that merely stays silent
     * is waited for past {@link #BOUND}.
     */
    private String streamUntilEnded() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout((int) BOUND.toMillis() + 1000);
            socket.getOutputStream().write("GET /app/openai/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(RawHttp.readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        }
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    /** A chunked body's data, its chunk framing removed. */
    private static String unchunked(String body) {
        return ("\r\n" + body).replaceAll("\r\n[0-9a-fA-F]+\r\n", "").replaceAll("\r\n$", "");
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void pause(Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aHeadSlowerThanStreamIdleTimeoutButWithinResponseTimeoutIsWaitedFor() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on(FIRST_KEY, FakeUpstream.dynamic(request -> {
                try {
                    pause(Duration.ofMillis(700));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return FakeUpstream.ok("{\"late\":true}");
            }));
            start(upstream.baseUri(), "responseTimeout", "5s", "streamIdleTimeout", "200ms");

            String answer = post();

            assertThat(answer).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.body(answer)).contains("{\"late\":true}");
        }
    }

    @Test
    void aHeadSlowerThanResponseTimeoutGivesA504SayingNoAnswerWithinItAndIsNeitherRetriedNorFailedOver()
            throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            FakeUpstream.Stall stall = FakeUpstream.stall();
            upstream.otherwise(stall);
            start(upstream.baseUri(), "responseTimeout", "300ms", "streamIdleTimeout", "10s");

            long start = System.nanoTime();
            String answer = post();

            assertThat(millisSince(start)).isLessThan(BOUND.toMillis());
            assertThat(answer).startsWith("HTTP/1.1 504");
            assertThat(RawHttp.body(answer)).contains("no answer within 300 ms").doesNotContain("sk-");
            assertThat(upstream.keysSeen()).as("one attempt, first key only").containsExactly(FIRST_KEY);
            Aftermath.assertClean(proxy, null);
            stall.release();
        }
    }

    @Test
    void aStreamSilentLongerThanStreamIdleTimeoutIsCutWhileALongHeadWaitIsNot() throws Exception {
        try (RawUpstream upstream = RawUpstream.start((socket, out) -> {
            pause(Duration.ofMillis(700));
            send(out, SSE_HEAD + "\r\n\r\n" + chunk("data: one\n\n"));
            pause(LONG);
            send(out, chunk("data: never\n\n") + "0\r\n\r\n");
        })) {
            start(upstream.baseUri(), "responseTimeout", "10s", "streamIdleTimeout", "300ms");

            long start = System.nanoTime();
            String answer = streamUntilEnded();

            assertThat(millisSince(start)).as("cut, not waited for").isLessThan(BOUND.toMillis());
            assertThat(RawHttp.head(answer)).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.body(answer)).contains("data: one").doesNotContain("never").doesNotEndWith("0\r\n\r\n");
            Aftermath.assertClean(proxy, null);
        }
    }

    @Test
    void silenceInsideTheBodyWithinStreamIdleTimeoutIsNotCutByAShorterResponseTimeout() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on(FIRST_KEY, FakeUpstream.paced(Duration.ofMillis(600), "data: 1\n\n", "data: 2\n\n",
                    "data: [DONE]\n\n"));
            start(upstream.baseUri(), "responseTimeout", "200ms", "streamIdleTimeout", "5s");

            String answer = stream();

            assertThat(RawHttp.head(answer)).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.body(answer)).contains("data: 1", "data: 2", "data: [DONE]").endsWith("0\r\n\r\n");
        }
    }

    @Test
    void silenceInsideASmallBodyBeforeAnythingWasSentGivesA504SayingSoUnderStreamIdleTimeout() throws Exception {
        try (RawUpstream upstream = RawUpstream.start((socket, out) -> {
            send(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"partial\":");
            pause(LONG);
        })) {
            start(upstream.baseUri(), "responseTimeout", "5s", "streamIdleTimeout", "300ms");

            String answer = post();

            assertThat(answer).startsWith("HTTP/1.1 504").doesNotContain("partial");
            assertThat(RawHttp.body(answer)).contains("silent for 300 ms inside its answer");
            Aftermath.assertClean(proxy, null);
        }
    }

    @Test
    void firstByteTimeoutAbortsAStreamWhoseHeadCameButNoByteAndTheClientNeverSeesThatHead() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            FakeUpstream.SseStream silent = FakeUpstream.sse("data: never\n\n");
            upstream.on(FIRST_KEY, silent);
            start(upstream.baseUri(), "firstByteTimeout", "300ms", "responseTimeout", "10s",
                    "streamIdleTimeout", "10s");

            long start = System.nanoTime();
            String answer = post();

            assertThat(millisSince(start)).isLessThan(BOUND.toMillis());
            assertThat(answer).startsWith("HTTP/1.1 504").doesNotContain("text/event-stream").doesNotContain("never");
            assertThat(RawHttp.body(answer)).contains("no first byte of its answer within 300 ms");
            assertThat(upstream.keysSeen()).as("one attempt, first key only").containsExactly(FIRST_KEY);
            Aftermath.assertClean(proxy, null);
            silent.releaseAll();
        }
    }

    @Test
    void aStreamThatSendsItsFirstByteInTimeFlowsOnUnderStreamIdleTimeout() throws Exception {
        try (RawUpstream upstream = RawUpstream.start((socket, out) -> {
            send(out, SSE_HEAD + "\r\n\r\n");
            pause(Duration.ofMillis(100));
            send(out, chunk("data: 1\n\n"));
            pause(Duration.ofMillis(700));
            send(out, chunk("data: 2\n\n"));
            pause(Duration.ofMillis(700));
            send(out, chunk("data: [DONE]\n\n") + "0\r\n\r\n");
        })) {
            start(upstream.baseUri(), "firstByteTimeout", "400ms", "streamIdleTimeout", "5s");

            String answer = stream();

            assertThat(RawHttp.head(answer)).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.body(answer)).endsWith("0\r\n\r\n");
            assertThat(unchunked(RawHttp.body(answer))).isEqualTo("data: 1\n\ndata: 2\n\ndata: [DONE]\n\n");
        }
    }

    @Test
    void firstByteTimeoutLeavesAnAnswerOfKnownLengthAlone() throws Exception {
        try (RawUpstream upstream = RawUpstream.start((socket, out) -> {
            send(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n");
            pause(Duration.ofMillis(700));
            send(out, "{\"ok\":true}");
        })) {
            start(upstream.baseUri(), "firstByteTimeout", "200ms", "streamIdleTimeout", "5s");

            String answer = post();

            assertThat(answer).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.body(answer)).contains("{\"ok\":true}");
        }
    }
}
