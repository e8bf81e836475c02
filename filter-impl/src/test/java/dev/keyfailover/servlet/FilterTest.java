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

/** The filter variant: the same engine in front of an existing application. */
class FilterTest {

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

    @Test
    void requestsUnderThePrefixFailOverAndOthersReachTheApplication() throws Exception {
        upstream.on("sk-limited-000000001", FakeUpstream.rateLimited("30"))
                .on("sk-good-0000000000002", FakeUpstream.ok("{\"via\":\"upstream\"}"));
        proxy = ProxyServer.filter(Map.of("pathPrefix", "/openai", "provider", "openai",
                "baseUrl", upstream.baseUri().toString(), "keys", "sk-limited-000000001,sk-good-0000000000002"));

        HttpResponse<String> proxied = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models?x=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> app = client.send(HttpRequest.newBuilder(proxy.uri("/app/openaiX/models")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(proxied.body()).isEqualTo("{\"via\":\"upstream\"}");
        assertThat(upstream.keysSeen()).containsExactly("sk-limited-000000001", "sk-good-0000000000002");
        assertThat(upstream.requests()).allSatisfy(seen -> {
            assertThat(seen.path()).isEqualTo("/v1/models");
            assertThat(seen.query()).isEqualTo("x=1");
        });
        assertThat(app.body()).isEqualTo("app");
    }
}
