package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import dev.keyfailover.pool.KeyState;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import dev.keyfailover.testing.RawUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream faults on the wire: each ends in a provider-shaped error, or an aborted (never clean)
 * response once the answer has started, and leaves nothing behind.
 */
class UpstreamFaultsTest {

    /** Above the 1 KiB memory threshold of {@link Routes}: every attempt replays a spilled body. */
    static final String BIG_BODY = "{\"messages\":\"" + "y".repeat(4096) + "\"}";
    static final String KEYS = "sk-first-00000000001,sk-second-0000000002";

    @TempDir
    Path spill;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    private String post(String path) throws Exception {
        return RawHttp.exchange(proxy.port(), "POST /app/openai" + path + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + BIG_BODY.length() + "\r\nConnection: close\r\n\r\n"
                + BIG_BODY);
    }

    private void assertNoKeyMarkedAndNoFailover() {
        assertThat(proxy.route().pool().snapshot()).extracting(key -> key.state()).containsOnly(KeyState.VALID);
        assertThat(proxy.route().pool().snapshot().get(1).attempts()).as("second key tried").isZero();
    }

    /** §18: retried with the next key, then a new walk from the first; no key marked; the spilled body replayed each time. */
    private void assertRetriedThreeTimesWithoutMarking(String answer) {
        assertThat(answer).startsWith("HTTP/1.1 502").contains("X-Keyfailover-Attempts: 3")
                .containsIgnoringCase("x-should-retry: false");
        assertThat(proxy.route().pool().snapshot()).extracting(key -> key.state()).containsOnly(KeyState.VALID);
        assertThat(proxy.route().pool().snapshot()).extracting(key -> key.attempts()).containsExactly(2L, 1L);
    }

    @Test
    void aRefusedConnectionIsRetriedThenGivesAProviderShaped502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        proxy = ProxyServer.servlet(Routes.openai(URI.create("http://127.0.0.1:" + closedPort), KEYS, spill,
                "retryBackoff", "10ms"));

        String answer = post("/v1/chat/completions");

        assertThat(RawHttp.body(answer)).contains("\"type\":\"api_error\"");
        assertRetriedThreeTimesWithoutMarking(answer);
        Aftermath.assertClean(proxy, spill);
    }

    @Test
    void aResetBeforeTheStatusLineIsRetriedThenGivesA502() throws Exception {
        try (RawUpstream upstream = RawUpstream.start(RawUpstream.resetBeforeStatusLine())) {
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill, "retryBackoff", "10ms"));

            String answer = post("/v1/chat/completions");

            assertThat(RawHttp.body(answer)).contains("\"code\":\"bad_gateway\"");
            assertThat(upstream.connections()).isEqualTo(3);
            assertRetriedThreeTimesWithoutMarking(answer);
            Aftermath.assertClean(proxy, spill);
        }
    }

    @Test
    void aHeadCutByACloseIsNoAnswerRetriedThenA502NeverAnEmpty200() throws Exception {
        // The status line and a header, then a FIN: HttpCore would read the end of the stream as the head's end.
        try (RawUpstream upstream = RawUpstream.start((socket, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        })) {
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill, "retryBackoff", "10ms"));

            String answer = post("/v1/chat/completions");

            assertThat(RawHttp.body(answer)).contains("\"code\":\"bad_gateway\"");
            assertThat(upstream.connections()).isEqualTo(3);
            assertRetriedThreeTimesWithoutMarking(answer);
            Aftermath.assertClean(proxy, spill);
        }
    }

    @Test
    void anAnswerUpstreamGaveBeforeReadingTheWholeBodyReachesTheClientAsItsAnswer() throws Exception {
        // As a server that refuses a body too large (or a key) before reading it, then closes: our write breaks.
        String tooLarge = "{\"error\":{\"message\":\"Request too large\",\"type\":\"invalid_request_error\"}}";
        try (RawUpstream upstream = RawUpstream.start((socket, out) -> {
            out.write(("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nContent-Length: "
                    + tooLarge.length() + "\r\nConnection: close\r\n\r\n" + tooLarge).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body's first bytes say the proxy is writing it; the close, the rest unread, resets its write.
            socket.getInputStream().readNBytes(64 * 1024);
        })) {
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill, "retryBackoff", "10ms"));
            String body = "{\"messages\":\"" + "y".repeat(16 << 20) + "\"}";

            String answer = RawHttp.exchange(proxy.port(), "POST /app/openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                    + body);

            assertThat(answer).startsWith("HTTP/1.1 413").contains("X-Keyfailover-Attempts: 1").endsWith(tooLarge);
            assertThat(upstream.connections()).isEqualTo(1);
            assertNoKeyMarkedAndNoFailover();
            Aftermath.assertClean(proxy, spill);
        }
    }

    @Test
    void withoutRetriesAResetBeforeTheStatusLineGivesA502AtOnceWithoutTheNoRetryHeader() throws Exception {
        try (RawUpstream upstream = RawUpstream.start(RawUpstream.resetBeforeStatusLine())) {
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill, "retries", "0"));

            String answer = post("/v1/chat/completions");

            assertThat(answer).startsWith("HTTP/1.1 502").doesNotContainIgnoringCase("x-should-retry");
            assertThat(upstream.connections()).isEqualTo(1);
            assertNoKeyMarkedAndNoFailover();
            Aftermath.assertClean(proxy, spill);
        }
    }

    @Test
    void aResetMidBodyOfASmallAnswerStillGivesA502() throws Exception {
        try (RawUpstream upstream = RawUpstream.start(RawUpstream.headAndBodyThenReset(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000", "{\"partial\":"))) {
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill));

            String answer = post("/v1/chat/completions");

            assertThat(answer).startsWith("HTTP/1.1 502");
            assertThat(answer).doesNotContain("partial");
            assertNoKeyMarkedAndNoFailover();
            Aftermath.assertClean(proxy, spill);
        }
    }

    @Test
    void aResetMidStreamAbortsTheClientsResponseWithoutAFinalChunk() throws Exception {
        String chunk = "data: first\n\n";
        try (RawUpstream upstream = RawUpstream.start(RawUpstream.headAndBodyThenReset(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked",
                Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"))) {
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill));

            String answer = RawHttp.exchangeKeepAlive(proxy.port(), "GET /app/openai/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(RawHttp.head(answer)).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.body(answer)).contains("data: first").doesNotEndWith("0\r\n\r\n");
            Aftermath.assertClean(proxy, spill);
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthGivesA502NotATruncated200() throws Exception {
        try (RawUpstream upstream = RawUpstream.start(RawUpstream.headAndBodyThenClose(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100", "{\"partial\":"))) {
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill));

            String answer = post("/v1/chat/completions");

            assertThat(answer).startsWith("HTTP/1.1 502");
            assertThat(answer).doesNotContain("partial");
            Aftermath.assertClean(proxy, spill);
        }
    }

    @Test
    void aStallLongerThanTheResponseTimeoutGivesA504() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            FakeUpstream.Stall stall = FakeUpstream.stall();
            upstream.on("sk-first-00000000001", stall);
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill, "responseTimeout", "300ms"));

            String answer = post("/v1/chat/completions");

            assertThat(answer).startsWith("HTTP/1.1 504");
            assertThat(RawHttp.body(answer)).contains("\"code\":\"timeout\"");
            assertNoKeyMarkedAndNoFailover();
            Aftermath.assertClean(proxy, spill);
            stall.release();
        }
    }

    @Test
    void aStallMidStreamLongerThanTheStreamIdleTimeoutAbortsTheStream() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            FakeUpstream.SseStream stream = FakeUpstream.sse("data: one\n\n", "data: never\n\n");
            stream.release(1);
            upstream.on("sk-first-00000000001", stream);
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill, "streamIdleTimeout", "300ms"));

            String answer = RawHttp.exchangeKeepAlive(proxy.port(), "GET /app/openai/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(RawHttp.head(answer)).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.body(answer)).contains("data: one").doesNotContain("never").doesNotEndWith("0\r\n\r\n");
            Aftermath.assertClean(proxy, spill);
        }
    }

    @Test
    void pausesBetweenEventsShorterThanTheStreamIdleTimeoutNeverCutTheStream() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on("sk-first-00000000001", FakeUpstream.paced(Duration.ofMillis(350),
                    "data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: 4\n\n", "data: [DONE]\n\n"));
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill, "streamIdleTimeout", "1s"));

            String answer = RawHttp.exchangeKeepAlive(proxy.port(), "GET /app/openai/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(RawHttp.head(answer)).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.body(answer)).contains("data: 1", "data: 2", "data: 3", "data: 4", "data: [DONE]")
                    .endsWith("0\r\n\r\n");
            Aftermath.assertClean(proxy, spill);
        }
    }
}
