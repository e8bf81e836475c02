package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.keyfailover.pool.KeyState;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** behaviour.md §1: a disabled key comes back when an administrator resets it. */
class KeyResetTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @BeforeEach
    void disableTheFirstKey() throws Exception {
        upstream.on("sk-revoked-000000001", FakeUpstream.status(401))
                .on("sk-good-0000000000002", FakeUpstream.ok("{}"));
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(),
                "keys", "sk-revoked-000000001,sk-good-0000000000002", "authRecheck", "never"));
        client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(proxy.route().pool().snapshot().get(0).state()).isEqualTo(KeyState.DISABLED);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    private HttpResponse<String> reset(String query, boolean withActionHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/status.json?" + query))
                .header("Authorization", "Bearer " + ProxyServer.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody());
        if (withActionHeader) {
            request.header("X-Keyfailover-Action", "reset");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aResetBringsADisabledKeyBackAndTrafficUsesItAgain() throws Exception {
        upstream.on("sk-revoked-000000001", FakeUpstream.ok("{\"restored\":true}"));

        HttpResponse<String> answer = reset("provider=openai&key=0", true);
        HttpResponse<String> served = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"state\":\"VALID\"", "\"changed\":true", "sk-…001")
                .doesNotContain("sk-revoked-000000001");
        assertThat(served.body()).isEqualTo("{\"restored\":true}");
    }

    @Test
    void aResetWithoutTheActionHeaderChangesNothing() throws Exception {
        HttpResponse<String> answer = reset("provider=openai&key=0", false);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(proxy.route().pool().snapshot().get(0).state()).isEqualTo(KeyState.DISABLED);
    }

    @Test
    void anUnknownProviderOrKeyIndexIsRefused() throws Exception {
        assertThat(reset("provider=nobody&key=0", true).statusCode()).isEqualTo(404);
        assertThat(reset("provider=openai&key=2", true).statusCode()).isEqualTo(400);
        assertThat(reset("provider=openai&key=x", true).statusCode()).isEqualTo(400);
        assertThat(proxy.route().pool().snapshot().get(0).state()).isEqualTo(KeyState.DISABLED);
    }

    /** An administrator who sends the key itself where its index belongs: refused, the key in no log line. */
    @Test
    void aKeyGivenWhereItsIndexBelongsIsNotWrittenToTheAuditLog() throws Exception {
        CapturedLogs.clear();

        assertThat(reset("provider=openai&key=sk-revoked-000000001", true).statusCode()).isEqualTo(400);
        assertThat(CapturedLogs.allText()).contains("reset of key #sk-…001").doesNotContain("sk-revoked-000000001");
    }
}
