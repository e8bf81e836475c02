package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import dev.keyfailover.testing.RawUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * behaviour.md §8: {@code Content-Length} is set for the client's connection, from how the body the
 * client gets is framed, never copied as upstream wrote it. An upstream that frames its answer
 * oddly (both a length and chunks, a length on an answer that has no body) still gives the client
 * a well-framed answer, never a cut one nor the container's 500.
 */
class UpstreamFramingTest {

    @TempDir
    Path spill;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static RawUpstream.Script answers(String response) {
        return (socket, out) -> {
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        };
    }

    private String send(String method, String path) throws Exception {
        return RawHttp.exchange(proxy.port(), method + " /app/openai" + path + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void anAnswerWithBothALengthAndChunksReachesTheClientWholeWithoutTheLength() throws Exception {
        // RFC 9112 §6.3: the chunks win, and an intermediary must remove the Content-Length before forwarding.
        try (RawUpstream upstream = RawUpstream.start(answers("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: 50\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{\"a\":1}\r\n0\r\n\r\n"))) {
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), UpstreamFaultsTest.KEYS, spill));

            String answer = send("POST", "/v1/chat/completions");

            assertThat(RawHttp.head(answer)).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("Content-Length: 50");
            assertThat(answer).as("framed by the close the client asked for").endsWith("\r\n\r\n{\"a\":1}");
            Aftermath.assertClean(proxy, spill);
        }
    }

    @Test
    void aNoContentAnswerThatAnnouncesALengthIsPassedOnWithoutBody() throws Exception {
        try (RawUpstream upstream = RawUpstream.start(answers("HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n"))) {
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), UpstreamFaultsTest.KEYS, spill));

            String answer = send("DELETE", "/v1/files/file-1");

            assertThat(answer).startsWith("HTTP/1.1 204").doesNotContainIgnoringCase("Content-Length: 2");
            Aftermath.assertClean(proxy, spill);
        }
    }

    @Test
    void theAnswerToAHeadRequestKeepsTheLengthUpstreamAnnounced() throws Exception {
        try (RawUpstream upstream = RawUpstream.start(answers("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1234\r\n\r\n"))) {
            proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), UpstreamFaultsTest.KEYS, spill));

            String answer = send("HEAD", "/v1/models");

            assertThat(RawHttp.head(answer)).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: 1234");
            Aftermath.assertClean(proxy, spill);
        }
    }
}
