package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import dev.keyfailover.testing.RawUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** behaviour.md §5 and §8 on the wire: hop-by-hop headers, bytes passed as they are, credentials that must not travel. */
class HeadersAndBodiesTest {

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

    private void startProxy(String... more) throws Exception {
        Map<String, String> params = new java.util.HashMap<>(Map.of("provider", "openai",
                "baseUrl", upstream.baseUri().toString(), "keys", "sk-pool-0000000000001"));
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        proxy = ProxyServer.servlet(params);
    }

    @Test
    void hopByHopRequestHeadersAndTheOnesConnectionNamesAreNotForwarded() throws Exception {
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}"));
        startProxy();

        String answer = RawHttp.exchange(proxy.port(), "POST /app/openai/v1/chat/completions HTTP/1.1\r\n"
                + "Host: proxy.example\r\nConnection: close, X-Private-Hop\r\nX-Private-Hop: secret\r\n"
                + "Keep-Alive: timeout=5\r\nTE: trailers\r\nTrailer: X-Checksum\r\n"
                + "Proxy-Authorization: Basic cHJveHk6cHJveHk=\r\nX-End-To-End: kept\r\nanthropic-beta: tools\r\n"
                + "Cookie: JSESSIONID=proxy-session\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");

        assertThat(answer).startsWith("HTTP/1.1 200");
        FakeUpstream.RecordedRequest seen = upstream.requests().get(0);
        for (String dropped : new String[] {"X-Private-Hop", "Keep-Alive", "TE", "Trailer",
                "Proxy-Authorization", "Cookie"}) {
            assertThat(seen.header(dropped)).as(dropped).isNull();
        }
        assertThat(seen.header("Connection")).isNotEqualToIgnoringCase("close, X-Private-Hop");
        assertThat(seen.header("Host")).isEqualTo(upstream.baseUri().getAuthority());
        assertThat(seen.header("X-End-To-End")).isEqualTo("kept");
        assertThat(seen.header("anthropic-beta")).isEqualTo("tools");
    }

    @Test
    void hopByHopResponseHeadersAreNotForwardedButEndToEndOnesAre() throws Exception {
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}")
                .withHeader("Connection", "X-Upstream-Hop")
                .withHeader("X-Upstream-Hop", "internal")
                .withHeader("Proxy-Authenticate", "Basic")
                .withHeader("x-request-id", "req-42"));
        startProxy();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().firstValue("X-Upstream-Hop")).isEmpty();
        assertThat(response.headers().firstValue("Proxy-Authenticate")).isEmpty();
        assertThat(response.headers().firstValue("x-request-id")).hasValue("req-42");
    }

    @Test
    void everyConnectionHeaderOfAnAnswerNamesHeadersToDropWhateverItsCase() throws Exception {
        try (RawUpstream raw = RawUpstream.start(RawUpstream.headAndBodyThenClose("HTTP/1.1 200 OK\r\n"
                + "content-type: application/json\r\ncontent-length: 2\r\nConnection: X-Hop-One\r\n"
                + "connection: X-Hop-Two\r\nX-Hop-One: one\r\nX-Hop-Two: two\r\nx-request-id: req-7", "{}"))) {
            proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", raw.baseUri().toString(),
                    "keys", "sk-pool-0000000000001"));

            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Hop-One")).isEmpty();
            assertThat(response.headers().firstValue("X-Hop-Two")).isEmpty();
            assertThat(response.headers().firstValue("x-request-id")).hasValue("req-7");
            assertThat(response.headers().allValues("Content-Type")).containsExactly("application/json");
            assertThat(response.body()).isEqualTo("{}");
        }
    }

    @Test
    void gzipBodiesPassByteForByteInBothDirections() throws Exception {
        byte[] requestGzip = gzip("{\"prompt\":\"" + "hello ".repeat(500) + "\"}");
        byte[] responseGzip = gzip("{\"answer\":\"" + "world ".repeat(500) + "\"}");
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}").withBody(responseGzip)
                .withHeader("Content-Encoding", "gzip"));
        startProxy();

        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestGzip)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.body()).isEqualTo(responseGzip);
        FakeUpstream.RecordedRequest seen = upstream.requests().get(0);
        assertThat(seen.body()).isEqualTo(requestGzip);
        assertThat(seen.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(seen.header("Accept-Encoding")).isEqualTo("gzip");
    }

    @Test
    void withTheSmallestUpstreamBuffersLongHeadersAndLargeBodiesStillPassWhole() throws Exception {
        String longHeader = "v".repeat(6 * 1024);
        byte[] requestBody = new byte[300 * 1024];
        byte[] responseBody = new byte[300 * 1024];
        new java.util.Random(7).nextBytes(requestBody);
        new java.util.Random(8).nextBytes(responseBody);
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}").withBody(responseBody)
                .withHeader("X-Long", longHeader));
        startProxy("upstreamBufferSize", "1k");

        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/files"))
                .header("Content-Type", "application/octet-stream").header("X-Long-Request", longHeader)
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Long")).hasValue(longHeader);
        assertThat(response.body()).isEqualTo(responseBody);
        FakeUpstream.RecordedRequest seen = upstream.requests().get(0);
        assertThat(seen.header("X-Long-Request")).isEqualTo(longHeader);
        assertThat(seen.body()).isEqualTo(requestBody);
    }

    @Test
    void theClientsContentTypeReachesUpstreamSpelledAsTheClientWroteIt() throws Exception {
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}"));
        startProxy();

        client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json;Charset=\"utf-8\"")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\"}")).build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(upstream.requests().get(0).header("Content-Type")).isEqualTo("application/json;Charset=\"utf-8\"");
    }

    @Test
    void aNonUtf8BodyIsPassedAsBytes() throws Exception {
        byte[] latin1 = "caf\u00e9 \u00fcber".getBytes(StandardCharsets.ISO_8859_1);
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}"));
        startProxy();

        client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/files"))
                .header("Content-Type", "text/plain; charset=ISO-8859-1")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(latin1)).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(upstream.requests().get(0).method()).isEqualTo("PUT");
        assertThat(upstream.requests().get(0).body()).isEqualTo(latin1);
    }

    @Test
    void anOptionsRequestWithABodyButNoContentTypeIsRefusedWithA400NotA502() throws Exception {
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}"));
        startProxy();

        String answer = RawHttp.exchange(proxy.port(), "OPTIONS /app/openai/v1/models HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(RawHttp.body(answer)).contains("needs a Content-Type");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aContainerLoginNeverReachesUpstreamNorCountsAsByok() throws Exception {
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}"));
        proxy = ProxyServer.servletBehindBasicAuth(Map.of("provider", "openai",
                "baseUrl", upstream.baseUri().toString(), "keys", "sk-pool-0000000000001"));
        String login = "Basic " + Base64.getEncoder().encodeToString("alice:wonderland".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models"))
                .header("Authorization", login).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).singleElement().satisfies(seen ->
                assertThat(seen.headerValues("Authorization")).containsExactly("Bearer sk-pool-0000000000001"));
    }

    @Test
    void clientAuthHeadersAreStrippedBeforeForwarding() throws Exception {
        upstream.on("sk-pool-0000000000001", FakeUpstream.ok("{}"));
        startProxy("clientAuthHeaders", "X-Gateway-Token");

        client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models"))
                .header("X-Gateway-Token", "team-secret").build(), HttpResponse.BodyHandlers.discarding());

        assertThat(upstream.requests()).singleElement().satisfies(seen -> {
            assertThat(seen.header("X-Gateway-Token")).isNull();
            assertThat(seen.key()).isEqualTo("sk-pool-0000000000001");
        });
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
