package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * behaviour.md §7 and §13 on an Anthropic route with the API dump on and every logger at TRACE: pool
 * keys in {@code x-api-key} through a failover (429, then 200), a stream and transient retries
 * (503); a client token in {@code x-api-key} and in {@code Authorization: Bearer}, and a wrong one;
 * the admin token (right and wrong) adding a key, listing, resetting; and, on a {@code byok=allow}
 * route, a client's own key in either header. No whole secret is in a client's answer, the dump, or
 * a line of the proxy or of its HTTP client; the container's own DEBUG lines print what clients
 * send and are not looked at.
 */
class SecretsOfClientsAndAdminsTest {

    private static final String LIMITED = "sk-ant-api03-LIMITEDxx-7f3a9c2e51d04b8a";
    private static final String GOOD = "sk-ant-api03-GOODKEYx-4d2f8b6a0e9c1357";
    private static final String ADDED = "sk-ant-api03-ADDEDKEY-0c94d6e8a2b7f135";
    private static final String CLIENTS_OWN = "sk-ant-api03-CLIENTOWN-9a8b7c6d5e4f3a2b";
    private static final String TOKEN = "tok-alice-SECRETTOKEN-e1b5a7c3d9f24680";
    private static final String WRONG_TOKEN = "tok-alice-SECRETTOKEN-e1b5a7c3d9f24681";
    private static final String WRONG_ADMIN = "test-admin-token-0123456789abcdef0124";
    private static final String MESSAGES = "/app/openai/v1/messages";
    private static final String CHAT = "{\"model\":\"claude-x\"}";

    @TempDir
    Path dumps;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final StringBuilder seenByClients = new StringBuilder();

    private void fetch(ProxyServer proxy, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        seenByClients.append(response.statusCode()).append(' ').append(response.headers().map()).append('\n')
                .append(response.body()).append('\n');
    }

    @Test
    void noTokenAdminTokenOrKeyReachesClientsLogsOrTheDump() throws Exception {
        String admin = "Bearer " + ProxyServer.ADMIN_TOKEN;
        CapturedLogs.clear();
        try (AutoCloseable everyLevel = CapturedLogs.atEveryLevel(); FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on(LIMITED, FakeUpstream.rateLimited("30")).on(GOOD, FakeUpstream.ok("{\"ok\":1}"))
                    .on(CLIENTS_OWN, FakeUpstream.ok("{\"own\":1}"));
            try (ProxyServer proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), LIMITED + "," + GOOD, null,
                    "provider", "anthropic", "name", "claude", "clientTokens", "alice:" + TOKEN,
                    "retryBackoff", "1ms", "dumpDir", dumps.resolve("tokens").toString()))) {
                fetch(proxy, "POST", MESSAGES, CHAT, "x-api-key", TOKEN);
                fetch(proxy, "POST", MESSAGES, CHAT, "Authorization", "Bearer " + TOKEN);
                fetch(proxy, "POST", MESSAGES, CHAT, "x-api-key", WRONG_TOKEN);
                upstream.on(GOOD, FakeUpstream.sse("data: one\n\n", "data: [DONE]\n\n").releaseAll());
                fetch(proxy, "POST", MESSAGES, "{\"model\":\"claude-x\",\"stream\":true}", "x-api-key", TOKEN);
                upstream.on(GOOD, FakeUpstream.status(503));
                fetch(proxy, "POST", MESSAGES, CHAT, "x-api-key", TOKEN);
                fetch(proxy, "POST", "/app/admin/keys?route=claude", "{\"keys\":[{\"key\":\"" + ADDED + "\"}]}",
                        "Authorization", admin, "Content-Type", "application/json");
                fetch(proxy, "POST", "/app/admin/keys?route=claude", ADDED + "\n", "Authorization", admin,
                        "Content-Type", "text/plain");
                fetch(proxy, "POST", "/app/admin/keys?route=claude", "{\"keys\":[{\"key\":\"" + ADDED + " x\"}]}",
                        "Authorization", admin, "Content-Type", "application/json");
                fetch(proxy, "POST", "/app/admin/keys?route=claude", "{\"keys\":[]}", "Authorization",
                        "Bearer " + WRONG_ADMIN, "Content-Type", "application/json");
                fetch(proxy, "GET", "/app/admin/keys?route=claude", null, "Authorization", admin);
                fetch(proxy, "POST", "/app/status.json?provider=claude&key=0", null, "Authorization", admin,
                        "X-Keyfailover-Action", "reset");
                fetch(proxy, "POST", "/app/status.json?provider=claude&key=0", null, "Authorization",
                        "Bearer " + WRONG_ADMIN, "X-Keyfailover-Action", "reset");
                fetch(proxy, "GET", "/app/status.json", null, "Authorization", admin);
                fetch(proxy, "GET", "/app/status", null, "Authorization", admin);
            }
            try (ProxyServer proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), LIMITED + "," + GOOD, null,
                    "provider", "anthropic", "byok", "allow", "dumpDir", dumps.resolve("byok").toString()))) {
                fetch(proxy, "POST", MESSAGES, CHAT, "x-api-key", CLIENTS_OWN);
                fetch(proxy, "POST", MESSAGES, CHAT, "Authorization", "Bearer " + CLIENTS_OWN);
            }
        }
        List<String> secrets = List.of(LIMITED, GOOD, ADDED, CLIENTS_OWN, TOKEN, WRONG_TOKEN,
                ProxyServer.ADMIN_TOKEN, WRONG_ADMIN);

        assertThat(seenByClients).contains("\"ok\":1", "data: one", "authentication_error", "\"added\":[\"",
                "\"changed\":true", "\"own\":1");
        Secrets.assertNoKeyIn("client answers", seenByClients.toString(), secrets);
        Secrets.assertNoKeyIn("the proxy's and its HTTP client's logs", productLogs(), secrets);
        Secrets.assertNoKeyIn("API dump", dumpText(), secrets);
    }

    private static String productLogs() {
        StringBuilder logs = new StringBuilder();
        for (CapturedLogs.Event event : CapturedLogs.events()) {
            if (!event.thread().startsWith("fake-upstream") && (event.logger().startsWith("dev.keyfailover")
                    || event.logger().startsWith("keyfailover") || event.logger().startsWith("org.apache.hc"))) {
                logs.append(event).append('\n');
            }
        }
        assertThat(CapturedLogs.events()).as("TRACE must really be on").anySatisfy(event ->
                assertThat(event.level()).isEqualTo(org.slf4j.event.Level.TRACE));
        assertThat(logs).as("the audit lines were captured").contains("keyfailover.audit");
        return logs.toString();
    }

    private String dumpText() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dumps)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(file).append('\n').append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(all).as("every attempt dumped").contains("# client: alice", "429", "503", "data: one", "\"own\":1");
        return all.toString();
    }
}
