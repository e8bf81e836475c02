package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import dev.keyfailover.testing.RawUpstream;
import org.junit.jupiter.api.Test;

/**
 * The proxy's own answers to a transport failure say which it was (behaviour.md §18, Timeouts):
 * could not connect, connection reset or closed before the answer, silence; 502 or 504 by type.
 * Over real sockets; no key in any of them.
 */
class UpstreamFailureMessagesTest {

    private static final String KEYS = "sk-first-00000000001,sk-second-0000000002";

    private static String postThrough(URI upstream, String... params) throws Exception {
        try (ProxyServer proxy = ProxyServer.servlet(Routes.openai(upstream, KEYS, null, params))) {
            String body = "{\"model\":\"gpt-4o\"}";
            return RawHttp.exchange(proxy.port(), "POST /app/openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body);
        }
    }

    private static String refusedConnect() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        return postThrough(URI.create("http://127.0.0.1:" + closedPort));
    }

    private static String resetBeforeHead() throws Exception {
        try (RawUpstream upstream = RawUpstream.start(RawUpstream.resetBeforeStatusLine())) {
            return postThrough(upstream.baseUri());
        }
    }

    private static String silence() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            FakeUpstream.Stall stall = FakeUpstream.stall();
            upstream.otherwise(stall);
            String answer = postThrough(upstream.baseUri(), "responseTimeout", "300ms");
            stall.release();
            return answer;
        }
    }

    @Test
    void aRefusedConnectionIsA502SayingTheProxyCouldNotConnect() throws Exception {
        String answer = refusedConnect();

        assertThat(answer).startsWith("HTTP/1.1 502");
        assertThat(RawHttp.body(answer)).contains("could not connect to upstream: connection refused");
    }

    @Test
    void aResetBeforeTheHeadIsA502SayingTheConnectionWasResetOrClosed() throws Exception {
        String answer = resetBeforeHead();

        assertThat(answer).startsWith("HTTP/1.1 502");
        assertThat(RawHttp.body(answer)).contains("reset or closed the connection before answering");
    }

    @Test
    void silenceBeforeTheHeadIsA504SayingHowLongTheProxyWaited() throws Exception {
        String answer = silence();

        assertThat(answer).startsWith("HTTP/1.1 504");
        assertThat(RawHttp.body(answer)).contains("no answer within 300 ms");
    }

    @Test
    void refusedResetAndSilenceAreThreeDifferentMessagesWithoutAKey() throws Exception {
        Set<String> messages = new LinkedHashSet<>();
        for (String answer : new String[] {refusedConnect(), resetBeforeHead(), silence()}) {
            String body = RawHttp.body(answer);
            assertThat(body).doesNotContain("sk-first", "sk-second", "127.0.0.1");
            messages.add(body.replaceAll("(?s).*\"message\":\"([^\"]*)\".*", "$1"));
        }

        assertThat(messages).hasSize(3);
    }
}
