package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.keyfailover.testing.AppServer;
import dev.keyfailover.testing.FakeUpstream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A base URL that is a path on this same server and context ({@code /upstream}), over real sockets:
 * the proxy reaches it through its own address, for a route and for a fallback route alike.
 */
class SameServerBaseUrlTest {

    private static final String KEY = "sk-same-server-key-0000000000001";
    private static final String BACKUP_KEY = "sk-same-server-backup-00000000002";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[]}";

    private final FakeUpstream primary = FakeUpstream.start();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private AppServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        primary.close();
    }

    @Test
    void aRouteWhoseBaseUrlIsOnThisServerReachesItThroughThisServersAddress() throws Exception {
        start(Map.of("provider", "openai", "baseUrl", "/upstream", "keys", KEY));

        HttpResponse<String> response = post("/app/openai/v1/chat/completions?a=1&b=%20");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seen).containsExactly("POST /app/upstream/v1/chat/completions?a=1&b=%20 Bearer " + KEY + " "
                + CHAT);
    }

    @Test
    void aFallbackRouteOnThisServerGetsTheRequestWithItsModel() throws Exception {
        primary.on(KEY, FakeUpstream.status(503));
        start(Map.of("provider", "openai", "baseUrl", primary.baseUri().toString(), "keys", KEY,
                "fallback", "backup", "retryBackoff", "1ms"));

        HttpResponse<String> response = post("/app/openai/v1/chat/completions?a=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Keyfailover-Route")).hasValue("backup");
        assertThat(seen).containsExactly("POST /app/upstream/v1/chat/completions?a=1 Bearer " + BACKUP_KEY + " "
                + CHAT.replace("gpt-4o", "gpt-4o-mini"));
    }

    private void start(Map<String, String> route) throws Exception {
        server = AppServer.builder()
                .route("backup", Map.of("provider", "openai", "baseUrl", "/upstream", "keys", BACKUP_KEY,
                        "fallbackModel", "gpt-4o-mini"))
                .route("openai", route)
                .servlet("/upstream/*", new Recording())
                .start();
    }

    private HttpResponse<String> post(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The upstream on this server: notes method, raw path and query, credential and body. */
    private final class Recording extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(request.getMethod() + " " + request.getRequestURI() + "?" + request.getQueryString() + " "
                    + request.getHeader("Authorization") + " " + body);
            response.setContentType("application/json");
            response.getWriter().write("{\"served_by\":\"same-server\"}");
        }
    }
}
