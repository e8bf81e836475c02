package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider of one's own that throws (a bug in its code) fails the request it serves with the
 * provider's 502, never the container's error page, which shows the exception's message (here the
 * key the provider was handed) and, on Tomcat, its stack; no log line holds the message either.
 * The factory is found as docs/custom-providers.md says, by {@code ServiceLoader} in the thread
 * context class loader.
 */
class ProviderFaultsTest {

    private static final String KEY = "sk-faulty-SECRETKEY-0000000000001";

    /** Type {@code faulty}: {@code fault=applyKey} throws with the key in its message, {@code fault=failure} renders no failure. */
    public static final class FaultyFactory implements ProviderFactory {
        @Override
        public String type() {
            return "faulty";
        }

        @Override
        public Provider create(ProviderSettings settings) {
            String fault = settings.property("fault", "none");
            return new Provider() {
                @Override
                public String name() {
                    return settings.name();
                }

                @Override
                public List<String> credentialHeaders() {
                    return List.of("X-Faulty-Key");
                }

                @Override
                public void applyKey(org.apache.hc.core5.http.HttpRequest request, String key) {
                    if (fault.equals("applyKey")) {
                        throw new IllegalStateException("cannot apply " + key);
                    }
                    request.setHeader("X-Faulty-Key", key);
                }

                @Override
                public ClassicHttpResponse exhaustedResponse(KeyPoolExhaustion error) {
                    return null;
                }

                @Override
                public ClassicHttpResponse failureResponse(ProxyFailure failure, String message) {
                    if (fault.equals("failure")) {
                        throw new IllegalStateException("cannot render " + failure);
                    }
                    return null;
                }
            };
        }
    }

    @TempDir
    Path serviceDir;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start().keyHeader("X-Faulty-Key");
    private ClassLoader before;
    private URLClassLoader loader;
    private ProxyServer proxy;

    @BeforeEach
    void serviceFileInTheContextClassLoader() throws Exception {
        Path services = Files.createDirectories(serviceDir.resolve("META-INF/services"));
        Files.writeString(services.resolve(ProviderFactory.class.getName()), FaultyFactory.class.getName() + "\n");
        loader = new URLClassLoader(new URL[] {serviceDir.toUri().toURL()}, getClass().getClassLoader());
        before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
            }
            upstream.close();
        } finally {
            Thread.currentThread().setContextClassLoader(before);
            loader.close();
        }
    }

    private HttpResponse<String> post() throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aProviderThatThrowsFailsTheRequestWithA502OfItsShapeNeverTheContainersPageNorItsMessage() throws Exception {
        upstream.on(KEY, FakeUpstream.ok("{}"));
        proxy = ProxyServer.servlet(Map.of("provider", "faulty", "baseUrl", upstream.baseUri().toString(),
                "keys", KEY, "fault", "applyKey"));
        CapturedLogs.clear();

        HttpResponse<String> answer = post();

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(answer.body()).contains("\"type\":\"proxy_error\"", "IllegalStateException")
                .doesNotContain(KEY, "cannot apply");
        assertThat(CapturedLogs.allText()).contains("IllegalStateException").doesNotContain(KEY);
        assertThat(upstream.requests()).isEmpty();
        assertThat(proxy.route().client().connectionStats().getLeased()).isZero();
    }

    /** §8: a provider's bug fails every request alike; its stack is logged once per window, the rest counted. */
    @Test
    void fiftyRequestsAProviderFailsAreOneStackTraceAndACount() throws Exception {
        proxy = ProxyServer.servlet(Map.of("provider", "faulty", "baseUrl", upstream.baseUri().toString(),
                "keys", KEY, "fault", "applyKey"));
        CapturedLogs.clear();

        for (int i = 0; i < 50; i++) {
            assertThat(post().statusCode()).isEqualTo(502);
        }
        proxy.close(); // the route's stop writes what is still counted
        proxy = null;

        List<CapturedLogs.Event> lines = CapturedLogs.events().stream()
                .filter(event -> event.logger().equals("dev.keyfailover.chain.ProviderFaults")).toList();
        assertThat(lines).map(CapturedLogs.Event::message).containsExactly(
                "openai: the request failed: java.lang.IllegalStateException",
                "openai: 49 more like \"the request failed: java.lang.IllegalStateException\" since the last one "
                        + "logged, until the route stopped");
        assertThat(lines.get(0).throwable()).contains("its message is not logged").doesNotContain(KEY);
        assertThat(lines.get(1).throwable()).isNull();
    }

    @Test
    void aProviderWhoseFailureAnswerThrowsGetsTheGenericOne() throws Exception {
        proxy = ProxyServer.servlet(Map.of("provider", "faulty", "baseUrl", "http://127.0.0.1:1",
                "keys", KEY, "fault", "failure", "retries", "0"));

        HttpResponse<String> answer = post();

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.body()).startsWith("{\"error\":{\"message\":\"could not connect to upstream")
                .contains("\"type\":\"proxy_error\"");
    }
}
