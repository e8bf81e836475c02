package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Answers to pool requests never tell the client whose account the pool key belongs to. */
class OrganisationHeadersTest {

    static final String POOL_KEY = "sk-pool-0000000000001";
    static final String OWN_KEY = "sk-users-own-key-0001";

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

    private static FakeUpstream.Reply revealing() {
        return FakeUpstream.ok("{}")
                .withHeader("openai-organization", "acme-corp-secret-org")
                .withHeader("openai-project", "proj_acme")
                .withHeader("anthropic-organization-id", "org-acme-123")
                .withHeader("Set-Cookie", "__cf_bm=acme; Path=/")
                .withHeader("x-team", "platform")
                .withHeader("x-request-id", "req-42");
    }

    private HttpHeaders get(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers();
    }

    @Test
    void aPoolRequestsAnswerLosesTheHeadersThatNameTheAccount() throws Exception {
        upstream.on(POOL_KEY, revealing());
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), POOL_KEY, null));

        HttpHeaders headers = get();

        assertThat(headers.map().keySet()).doesNotContainAnyElementsOf(java.util.List.of("openai-organization",
                "openai-project", "anthropic-organization-id", "set-cookie"));
        assertThat(headers.firstValue("x-request-id")).hasValue("req-42");
        assertThat(headers.firstValue("x-team")).hasValue("platform");
    }

    @Test
    void aByokRequestsAnswerKeepsThemBecauseTheAccountIsTheClientsOwn() throws Exception {
        upstream.on(OWN_KEY, revealing());
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), POOL_KEY, null));

        HttpHeaders headers = get("Authorization", "Bearer " + OWN_KEY);

        assertThat(headers.firstValue("openai-organization")).hasValue("acme-corp-secret-org");
        assertThat(headers.firstValue("openai-project")).hasValue("proj_acme");
        assertThat(headers.firstValue("anthropic-organization-id")).hasValue("org-acme-123");
        assertThat(headers.firstValue("set-cookie")).hasValue("__cf_bm=acme; Path=/");
    }

    @Test
    void theListIsConfigurable() throws Exception {
        upstream.on(POOL_KEY, revealing());
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), POOL_KEY, null,
                "dropResponseHeaders", "X-Team, openai-organization"));

        HttpHeaders headers = get();

        assertThat(headers.firstValue("x-team")).isEmpty();
        assertThat(headers.firstValue("openai-organization")).isEmpty();
        assertThat(headers.firstValue("openai-project")).hasValue("proj_acme");
    }

    @Test
    void noneKeepsEveryHeader() throws Exception {
        upstream.on(POOL_KEY, revealing());
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), POOL_KEY, null, "dropResponseHeaders", "none"));

        assertThat(get().firstValue("openai-organization")).hasValue("acme-corp-secret-org");
    }
}
