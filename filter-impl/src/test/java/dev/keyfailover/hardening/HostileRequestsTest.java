package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import dev.keyfailover.testing.RawUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Header tricks, odd syntax, absurd sizes, raw bytes and unusual methods, sent over a raw socket. */
class HostileRequestsTest {

    static final String KEY = "sk-pool-0000000000001";

    private final FakeUpstream upstream = FakeUpstream.start().otherwise(FakeUpstream.ok("{}"));
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = ProxyServer.lenientServlet(Routes.openai(upstream.baseUri(), KEY, null));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    private String send(byte[] request) throws Exception {
        return new String(RawHttp.exchangeBytes(proxy.port(), request), StandardCharsets.ISO_8859_1);
    }

    private static byte[] request(String head, byte[]... rawHeaderBytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] raw : rawHeaderBytes) {
            bytes.writeBytes(raw);
        }
        bytes.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return bytes.toByteArray();
    }

    /** Header lines crafted to smuggle a second header (or request) into what the proxy sends upstream. */
    static final List<byte[]> INJECTIONS = List.of(
            "X-Note: a\r\n X-Injected: folded\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "X-Note: a\r\n\tX-Injected: folded-tab\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "X-Note: a\rX-Injected: bare-cr\r\n".getBytes(StandardCharsets.ISO_8859_1),
            utf8("X-Note: a\u010aX-Injected: utf8-low-byte-lf\r\n"),
            utf8("X-Note: a\u010d\u010aX-Injected: utf8-low-byte-crlf\r\n"),
            utf8("X-Note: a\u560a\u560dX-Injected: cjk-low-bytes\r\n"),
            "X-Note: a%0d%0aX-Injected: encoded\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "X-Note: a\u0000X-Injected: nul\r\n".getBytes(StandardCharsets.ISO_8859_1));

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void noHeaderInjectionReachesUpstreamAsASeparateHeaderOrRequest() throws Exception {
        for (byte[] injection : INJECTIONS) {
            upstream.clearRequests();
            String answer = send(request("GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\n", injection));

            String what = new String(injection, StandardCharsets.ISO_8859_1).trim();
            assertThat(answer).as(what).matches("(?s)HTTP/1\\.1 [2-4]\\d\\d .*");
            assertThat(upstream.requests()).as(what).hasSizeLessThanOrEqualTo(1);
            UpstreamView.assertConfined(upstream, "", what);
        }
    }

    @Test
    void conflictingFramingIsNotPassedOnAndASmuggledRequestStaysTheClientsOwn() throws Exception {
        String answer = send(("POST /app/openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
                + "GET /app/openai/v1/smuggled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));

        assertThat(answer).startsWith("HTTP/1.1 ");
        assertThat(upstream.requests()).allSatisfy(seen -> {
            assertThat(seen.header("Transfer-Encoding") != null && seen.header("Content-Length") != null)
                    .as("both framing headers in " + seen).isFalse();
            assertThat(seen.headerValues("Authorization")).containsExactly("Bearer " + KEY);
        });
        // Whatever the container made of it, the upstream connection carried whole, separately keyed requests.
        assertThat(upstream.requests()).extracting(FakeUpstream.RecordedRequest::path)
                .isSubsetOf("/v1/chat/completions", "/v1/smuggled");
    }

    @Test
    void oddButParsableSyntaxIsForwardedOrRefusedButNeverCrashesTheProxy() throws Exception {
        List<String> heads = List.of(
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nX-Empty:\r\nX-Pad:    padded   \r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nX-Dup: a\r\nX-Dup: b\r\nx-dup: c\r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nX-Tchars!#$%&'*+.^_`|~: v\r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nHost: y\r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nX-Spaced : before-colon\r\n",
                "GET /app/openai/v1/models HTTP/1.0\r\n",
                "GET /app/openai/v1/models?a=%ZZ&b=\u00e9 HTTP/1.1\r\nHost: x\r\n",
                "GET /app/openai/v1/models?%0d%0aX-Injected:%20query HTTP/1.1\r\nHost: x\r\n",
                "get /app/openai/v1/models HTTP/1.1\r\nHost: x\r\n",
                "GET  /app/openai/v1/models  HTTP/1.1\r\nHost: x\r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nConnection: Authorization, Host\r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nX-Forwarded-Host: evil.host\r\n"
                        + "Forwarded: host=evil.host\r\nX-Original-URL: /admin\r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: \r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nContent-Type: ;;;=\r\n",
                "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n");
        for (String head : heads) {
            upstream.clearRequests();
            String answer = send(request(head));

            assertThat(answer).as(head).matches("(?s)HTTP/1\\.[01] [2-4]\\d\\d .*");
            UpstreamView.assertConfined(upstream, "", head);
            assertThat(upstream.requests()).as(head).allSatisfy(seen ->
                    assertThat(seen.headerValues("Authorization")).containsExactly("Bearer " + KEY));
        }
    }

    @Test
    void aQueryUriRefusesIsAnswered400WithoutEchoingTheKeyItCarries() throws Exception {
        upstream.clearRequests();
        String answer = send(request("GET /app/openai/v1/models?key=AIzaSyClientOwnKey0123456789&q=%zz HTTP/1.1\r\n"
                + "Host: x\r\n"));

        assertThat(answer).startsWith("HTTP/1.1 400").contains("Malformed escape pair")
                .doesNotContain("AIzaSyClientOwnKey0123456789").doesNotContain("ClientOwnKey");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void absurdHeaderCountsAndSizesAreRefusedBeforeTheProxyAndNormalOnesPass() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        String answer = send(request("GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\n" + many));
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(upstream.requests().get(0).header("X-H299")).isEqualTo("v");

        StringBuilder tooMany = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            tooMany.append("X-H").append(i).append(": v\r\n");
        }
        upstream.clearRequests();
        assertThat(send(request("GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\n" + tooMany))).startsWith("HTTP/1.1 431");
        assertThat(send(request("GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1 << 20)
                + "\r\n"))).startsWith("HTTP/1.1 431");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void anUpstreamAnswerWithThousandsOfHeadersGivesAProviderShaped502() throws Exception {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2");
        for (int i = 0; i < 5_000; i++) {
            head.append("\r\nX-Up").append(i).append(": ").append("v".repeat(20));
        }
        answerWithHead(head.toString());
    }

    @Test
    void anUpstreamAnswerWithAHugeHeaderGivesAProviderShaped502() throws Exception {
        answerWithHead("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nX-Huge: "
                + "h".repeat(256 * 1024));
    }

    private void answerWithHead(String head) throws Exception {
        try (RawUpstream absurd = RawUpstream.start(RawUpstream.headAndBodyThenClose(head, "{}"))) {
            proxy.close();
            proxy = ProxyServer.servlet(Routes.openai(absurd.baseUri(), KEY, null));

            String answer = send(request("GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\n"));

            assertThat(answer).startsWith("HTTP/1.1 502").contains("\"type\":\"api_error\"");
            Aftermath.assertClean(proxy, null);
        }
    }

    @Test
    void aNonUtf8BodyIsReplayedAndAnsweredByteForByte() throws Exception {
        byte[] body = new byte[4096];
        new Random(42).nextBytes(body);
        body[0] = (byte) 0xC3;
        body[1] = (byte) 0x28; // an invalid UTF-8 sequence up front
        byte[] answerBody = new byte[2048];
        new Random(43).nextBytes(answerBody);
        proxy.close();
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), "sk-limited-000000001," + KEY, null));
        upstream.on("sk-limited-000000001", FakeUpstream.rateLimited("30"))
                .on(KEY, FakeUpstream.ok("{}").withBody(answerBody));

        byte[] raw = RawHttp.exchangeBytes(proxy.port(), concat(("POST /app/openai/v1/chat/completions HTTP/1.1\r\n"
                + "Host: x\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body));

        assertThat(upstream.requests()).hasSize(2).allSatisfy(seen -> assertThat(seen.body()).isEqualTo(body));
        assertThat(java.util.Arrays.copyOfRange(raw, raw.length - answerBody.length, raw.length)).isEqualTo(answerBody);
    }

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND",
            "FOO");
    static final List<String> WITH_BODY = List.of("POST", "PUT", "PATCH", "PROPFIND", "FOO");

    @Test
    void everyMethodButTraceAndConnectIsForwardedAsItIs() throws Exception {
        for (String method : METHODS) {
            upstream.clearRequests();
            String body = WITH_BODY.contains(method) ? "Content-Type: application/json\r\nContent-Length: 2\r\n" : "";
            String answer = send(concat(request(method + " /app/openai/v1/files HTTP/1.1\r\nHost: x\r\n" + body),
                    body.isEmpty() ? new byte[0] : "{}".getBytes(StandardCharsets.US_ASCII)));

            assertThat(answer).as(method).startsWith("HTTP/1.1 200");
            assertThat(upstream.requests()).as(method).singleElement().satisfies(seen ->
                    assertThat(seen.method()).isEqualTo(method));
        }
    }

    @Test
    void traceAndConnectNeverReachUpstreamWithAPoolKey() throws Exception {
        for (String head : List.of("TRACE /app/openai/v1/models HTTP/1.1\r\nHost: x\r\n",
                "CONNECT /app/openai/v1/models HTTP/1.1\r\nHost: x\r\n")) {
            String answer = send(request(head));

            assertThat(answer).as(head).matches("(?s)HTTP/1\\.1 4\\d\\d .*").doesNotContain("sk-pool");
        }
        assertThat(upstream.requests()).isEmpty();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
