package dev.keyfailover.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The one scenario suite every container runs, against the example WAR deployed unchanged at
 * its root context and configured only by environment (see the pom): the OpenAI pool is a
 * rate-limited, a revoked and a good key, the Anthropic pool a revoked and a good key, both in
 * front of a {@link ScriptedUpstream} on the port the build reserved.
 *
 * <p>The pools live as long as the deployment, so the order matters where a scenario leaves
 * marks: the first request meets the bad keys while they are still usable, and the exhaustion
 * scenarios, which spend the pools, run last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ContainerScenarios {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private ScriptedUpstream upstream;
    private Deployment deployment;

    /** Starts the container with the example WAR deployed at its root context. */
    protected abstract Deployment deploy() throws Exception;

    @BeforeAll
    void startUpstreamAndDeploy() throws Exception {
        upstream = ScriptedUpstream.start(Env.upstreamPort());
        deployment = deploy();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (deployment != null) {
                deployment.close();
            }
        } finally {
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    @Test
    @Order(1)
    void aChatCompletionFailsOverPastTheRateLimitedAndTheRevokedKeyToTheGoodOne() throws Exception {
        String testId = newTestId();
        HttpResponse<String> response = send(post("/openai/v1/chat/completions", testId,
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> keys = Env.openAiKeys();
        assertThat(response.body()).contains("served with key " + ScriptedUpstream.hint(keys.get(2)));
        assertThat(upstream.requestsOf(testId)).extracting(ScriptedUpstream.Recorded::key)
                .as("one attempt per key, in pool order").containsExactlyElementsOf(keys);
    }

    @Test
    @Order(2)
    void aStreamedAnthropicMessageReachesTheClientEventByEvent() throws Exception {
        String testId = newTestId();
        int sentBefore = upstream.eventsSent();
        HttpResponse<InputStream> response = client.send(post("/anthropic/v1/messages", testId,
                "{\"model\":\"claude\",\"max_tokens\":10,\"stream\":true,\"messages\":[]}"),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    events.add(line.substring("event: ".length()));
                    // Upstream holds every further event until released: this one came through alone.
                    assertThat(upstream.eventsSent() - sentBefore).as("events upstream has sent so far")
                            .isEqualTo(events.size());
                    upstream.releaseEvents(1);
                }
            }
        }
        assertThat(events).containsExactly("message_start", "content_block_start", "content_block_delta",
                "content_block_stop", "message_stop");
        assertThat(upstream.requestsOf(testId)).extracting(ScriptedUpstream.Recorded::key)
                .as("the revoked key first, then the good one").containsExactlyElementsOf(Env.anthropicKeys());
    }

    @Test
    @Order(3)
    void aClientsOwnKeyIsSentUpstreamOnceAndUntouched() throws Exception {
        String testId = newTestId();
        String ownKey = "sk-users-own-key-" + testId;
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/openai/v1/models"))
                .header(ScriptedUpstream.TEST_ID_HEADER, testId)
                .header("Authorization", "Bearer " + ownKey).timeout(TIMEOUT).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("fake-model");
        assertThat(upstream.requestsOf(testId)).extracting(ScriptedUpstream.Recorded::key).containsExactly(ownKey);
    }

    @Test
    @Order(4)
    void everyAttemptIsDumpedAsARequestAndAResponseFileWithTheKeysMasked() throws Exception {
        String testId = newTestId();
        HttpResponse<String> response = send(post("/openai/v1/chat/completions", testId,
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + testId + "\"}]}"));
        assertThat(response.statusCode()).isEqualTo(200);
        int attempts = upstream.requestsOf(testId).size();

        Path openAiDump = deployment.dumpDir().resolve("openai");
        List<Path> requestFiles;
        try (Stream<Path> files = Files.list(openAiDump)) {
            requestFiles = files.filter(file -> file.getFileName().toString().endsWith(".request.txt"))
                    .filter(file -> read(file).contains(testId)).sorted().collect(Collectors.toList());
        }
        assertThat(requestFiles).as("one request file per upstream attempt").hasSize(attempts);
        for (Path requestFile : requestFiles) {
            String name = requestFile.getFileName().toString();
            Path responseFile = requestFile.resolveSibling(name.replace(".request.txt", ".response.txt"));
            assertThat(responseFile).as("the response of " + name).exists();
            assertThat(read(requestFile)).startsWith("POST ").containsPattern("(?i)authorization: Bearer sk-k…\\d{4}");
        }
        assertThat(read(requestFiles.get(requestFiles.size() - 1))).contains(Env.openAiKeys().get(2).substring(0, 4)
                + "…" + Env.openAiKeys().get(2).substring(Env.openAiKeys().get(2).length() - 4));
        assertNoKeyIn(deployment.dumpDir());
    }

    @Test
    @Order(5)
    void theStatusPageShowsBothPoolsWithMaskedKeysAsHtmlAndJson() throws Exception {
        HttpResponse<String> json = send(HttpRequest.newBuilder(uri("/status.json")).timeout(TIMEOUT).build());
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(json.body()).contains("\"name\":\"openai\"", "\"name\":\"anthropic\"", "\"state\":\"DISABLED\"",
                "\"state\":\"VALID\"", "\"lastStatus\":401", "\"lastStatus\":200");

        HttpResponse<String> html = send(HttpRequest.newBuilder(uri("/status")).timeout(TIMEOUT).build());
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(html.body()).contains("keyfailover status", "openai", "anthropic");

        for (String key : allPoolKeys()) {
            assertThat(json.body()).doesNotContain(key);
            assertThat(html.body()).doesNotContain(key);
        }
    }

    @Test
    @Order(6)
    void theMetricsAreServedInPrometheusTextFormatWithMaskedKeysOnly() throws Exception {
        HttpResponse<String> metrics = send(HttpRequest.newBuilder(uri("/metrics")).timeout(TIMEOUT).build());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(metrics.body()).contains("# TYPE keyfailover_requests_total counter",
                "keyfailover_keys{provider=\"openai\",state=\"DISABLED\"} 1.0",
                "keyfailover_key_transitions_total{key=\"sk-k…", "keyfailover_upstream_duration_seconds_count");
        assertThat(metrics.body()).containsPattern(
                "keyfailover_requests_total\\{client=\"none\",outcome=\"served\",provider=\"openai\"} [1-9]");
        assertNoKeyIn(metrics.body());
    }

    @Test
    @Order(90)
    void whenEveryOpenAiKeyIsRateLimitedTheClientGetsA429InOpenAiShapeWithRetryAfter() throws Exception {
        String testId = newTestId();
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/openai/v1/chat/completions"))
                .header("Content-Type", "application/json").header(ScriptedUpstream.TEST_ID_HEADER, testId)
                .header(ScriptedUpstream.SPENT_HEADER, "yes").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")).build());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValueSatisfying(
                value -> assertThat(Integer.parseInt(value)).isBetween(1, 30));
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"type\":\"rate_limit_error\"", "\"code\":\"rate_limit_exceeded\"",
                "all configured keys are rate-limited");
        assertThat(upstream.requestsOf(testId)).isNotEmpty();
        assertNoKeyIn(response.body());
    }

    @Test
    @Order(99)
    void whenEveryAnthropicKeyFailsAuthenticationTheClientGetsA502InAnthropicShape() throws Exception {
        String testId = newTestId();
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/anthropic/v1/messages"))
                .header("Content-Type", "application/json").header("anthropic-version", "2023-06-01")
                .header(ScriptedUpstream.TEST_ID_HEADER, testId).header(ScriptedUpstream.SPENT_HEADER, "yes")
                .timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude\",\"max_tokens\":10,\"messages\":[]}"))
                .build());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("retry-after")).isEmpty();
        assertThat(response.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"api_error\"")
                .contains("all configured keys failed authentication");
        assertNoKeyIn(response.body());
        String status = send(HttpRequest.newBuilder(uri("/status.json")).timeout(TIMEOUT).build()).body();
        String fromAnthropic = status.substring(status.indexOf("\"name\":\"anthropic\""));
        String anthropicPool = fromAnthropic.substring(0, fromAnthropic.indexOf("\"leasedConnections\""));
        assertThat(anthropicPool).as("every Anthropic key is disabled").contains("\"state\":\"DISABLED\"")
                .doesNotContain("\"state\":\"VALID\"", "\"state\":\"COOLING\"");
    }

    // ---------------------------------------------------------------- helpers

    private URI uri(String path) {
        return URI.create(deployment.baseUri() + path);
    }

    private static String newTestId() {
        return UUID.randomUUID().toString();
    }

    private HttpRequest post(String path, String testId, String json) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01").header(ScriptedUpstream.TEST_ID_HEADER, testId)
                .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> allPoolKeys() {
        List<String> keys = new ArrayList<>(Env.openAiKeys());
        keys.addAll(Env.anthropicKeys());
        return keys;
    }

    private static void assertNoKeyIn(String text) {
        for (String key : allPoolKeys()) {
            assertThat(text).doesNotContain(key);
        }
    }

    private static void assertNoKeyIn(Path dumpDir) throws IOException {
        try (Stream<Path> files = Files.walk(dumpDir)) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                String text = read(file);
                for (String key : allPoolKeys()) {
                    assertThat(text).as(file + " holds no whole key").doesNotContain(key);
                }
                assertThat(text).as(file + " holds no client key").doesNotContain("sk-users-own-key-");
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
