package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Credentials the client sends to the proxy never travel on, unless they are a BYOK key and BYOK is allowed. */
class ClientCredentialsTest {

    static final String LOGIN = "Basic " + Base64.getEncoder().encodeToString(
            "alice:wonderland".getBytes(StandardCharsets.UTF_8));

    private final FakeUpstream upstream = FakeUpstream.start().otherwise(FakeUpstream.ok("{}"));
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private String get(String headers) throws Exception {
        return RawHttp.exchange(proxy.port(), "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\n" + headers
                + "Connection: close\r\n\r\n");
    }

    private void assertUpstreamSawOnlyThePoolKey(String header, String value) {
        assertThat(upstream.requests()).isNotEmpty().allSatisfy(seen -> {
            assertThat(seen.headerValues(header)).containsExactly(value);
            assertThat(seen.toString()).doesNotContain("wonderland", LOGIN.substring(6), Secrets.CLIENTS_OWN);
        });
    }

    @Test
    void aContainerLoginNeverReachesUpstreamWhateverTheByokSetting() throws Exception {
        for (String byok : List.of("allow", "deny")) {
            upstream.clearRequests();
            proxy = ProxyServer.servletBehindBasicAuth(Routes.openai(upstream.baseUri(), Secrets.GOOD, null,
                    "byok", byok));

            assertThat(get("Authorization: " + LOGIN + "\r\n")).startsWith("HTTP/1.1 200");

            assertUpstreamSawOnlyThePoolKey("Authorization", "Bearer " + Secrets.GOOD);
            proxy.close();
            proxy = null;
        }
    }

    @Test
    void withByokDeniedNoClientKeyReachesUpstreamHoweverItIsSpelled() throws Exception {
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), Secrets.GOOD, null, "byok", "deny"));

        assertThat(get("Authorization: Bearer " + Secrets.CLIENTS_OWN + "\r\nauthorization: Bearer "
                + Secrets.CLIENTS_OWN + "\r\nAUTHORIZATION: " + Secrets.CLIENTS_OWN + "\r\n")).startsWith("HTTP/1.1 200");

        assertUpstreamSawOnlyThePoolKey("Authorization", "Bearer " + Secrets.GOOD);
    }

    @Test
    void withByokDeniedAnAnthropicClientKeyInEitherHeaderIsStripped() throws Exception {
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), Secrets.GOOD, null, "provider", "anthropic",
                "byok", "deny"));

        assertThat(get("X-Api-Key: " + Secrets.CLIENTS_OWN + "\r\nAuthorization: Bearer " + Secrets.CLIENTS_OWN
                + "\r\n")).startsWith("HTTP/1.1 200");

        assertUpstreamSawOnlyThePoolKey("X-Api-Key", Secrets.GOOD);
        assertThat(upstream.requests()).allSatisfy(seen -> assertThat(seen.header("Authorization")).isNull());
    }

    @Test
    void aClientAuthHeaderNeverReachesUpstreamEvenWhenConnectionNamesIt() throws Exception {
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), Secrets.GOOD, null,
                "clientAuthHeaders", "X-Gateway-Token"));

        assertThat(get("X-Gateway-Token: wonderland\r\nx-gateway-token: wonderland\r\n")).startsWith("HTTP/1.1 200");

        assertUpstreamSawOnlyThePoolKey("Authorization", "Bearer " + Secrets.GOOD);
    }
}
