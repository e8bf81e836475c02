package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The custom provider of docs/custom-providers.md (com.example.AcmeProviderFactory), found through its service file and run end to end. */
class CustomProviderTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start().keyHeader("X-Acme-Token");
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    @Test
    void aProviderFactoryInAServiceFileIsSelectedByItsTypeAndFailsOverWithItsOwnHeaderAndErrors() throws Exception {
        upstream.on("acme-key-limited-0001", FakeUpstream.rateLimited("12"))
                .on("acme-key-good-000002", FakeUpstream.ok("{\"acme\":true}"));
        proxy = ProxyServer.servlet(Map.of("provider", "acme", "baseUrl", upstream.baseUri().toString(),
                "keys", "acme-key-limited-0001,acme-key-good-000002", "region", "us"));

        HttpResponse<String> served = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v2/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        upstream.on("acme-key-good-000002", FakeUpstream.rateLimited("3"));
        HttpResponse<String> exhausted = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v2/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(served.body()).isEqualTo("{\"acme\":true}");
        assertThat(upstream.keysSeen()).startsWith("acme-key-limited-0001", "acme-key-good-000002");
        assertThat(upstream.requests()).allSatisfy(seen -> {
            assertThat(seen.header("X-Acme-Region")).isEqualTo("us");
            assertThat(seen.path()).isEqualTo("/v2/jobs");
        });
        assertThat(exhausted.statusCode()).isEqualTo(429);
        assertThat(exhausted.headers().firstValue("Retry-After")).hasValueSatisfying(value ->
                assertThat(Integer.parseInt(value)).isBetween(2, 3));
        assertThat(exhausted.body()).isEqualTo("{\"fault\":\"RATE_LIMITED\"}");
    }
}
