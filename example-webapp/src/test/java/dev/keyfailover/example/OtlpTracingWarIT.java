package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The example WAR with {@code OTEL_EXPORTER_OTLP_ENDPOINT} set (as a context-param): the routes' spans
 * (behaviour.md §17) reach an OTLP/HTTP receiver, and nothing of the demo keys or the prompt is in them.
 */
class OtlpTracingWarIT {

    private static final String PROMPT = "PROMPT-MARKER-otlp-51c2";

    private final List<String> exports = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Server receiver;
    private DeployedWar war;

    @AfterEach
    void stop() throws Exception {
        if (war != null) {
            war.close();
        }
        if (receiver != null) {
            receiver.stop();
        }
        System.clearProperty("otel.bsp.schedule.delay");
    }

    /** Takes OTLP/HTTP exports, keeps each body (protobuf: its strings are readable as they are), answers 200. */
    private int startReceiver() throws Exception {
        receiver = new Server();
        ServerConnector connector = new ServerConnector(receiver);
        connector.setHost("127.0.0.1");
        receiver.addConnector(connector);
        receiver.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                Content.Source.asInputStream(request).transferTo(body);
                exports.add(request.getHttpURI().getPath() + " " + body.toString(StandardCharsets.ISO_8859_1));
                response.getHeaders().put("Content-Type", "application/x-protobuf");
                response.write(true, ByteBuffer.allocate(0), callback);
                return true;
            }
        });
        receiver.start();
        return connector.getLocalPort();
    }

    @Test
    void withAnOtlpEndpointTheFailoverSpansAreExported() throws Exception {
        int port = startReceiver();
        System.setProperty("otel.bsp.schedule.delay", "100");
        war = DeployedWar.start(Map.of(OtlpTracing.ENDPOINT, "http://127.0.0.1:" + port));

        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(war.uri("/openai/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> String.join("", exports).contains("keyfailover failover"));
        String all = String.join("\n", exports);
        assertThat(exports).allSatisfy(export -> assertThat(export).startsWith("/v1/traces "));
        assertThat(all).contains("keyfailover attempt").contains("gen_ai.provider.name").contains("keyfailover")
                .contains("cooling").contains("disabled").contains("served").doesNotContain(PROMPT);
        for (String key : DemoMode.OPENAI_KEYS) {
            assertThat(all).doesNotContain(key);
        }
    }
}
