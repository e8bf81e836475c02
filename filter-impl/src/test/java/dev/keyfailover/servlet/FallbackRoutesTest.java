package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.keyfailover.chain.LogThrottle;
import dev.keyfailover.metrics.MeterNames;
import dev.keyfailover.testing.AppServer;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.logging.CapturedLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §18, fallback routes, over real sockets: a route that cannot serve (its provider
 * fails transiently or is silent, its pool ran dry, an answer {@code fallbackOn} names) hands the
 * request to its fallback route, which renames the model and serves with its own pool; a BYOK
 * request never goes there; a breaker per (route, model) skips a failing route and probes it once
 * per cooldown.
 */
class FallbackRoutesTest {

    private static final String PRIMARY_KEY = "sk-fallback-primary-key-00000001";
    private static final String BACKUP_KEY = "sk-fallback-backup-key-000000002";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final FakeUpstream primary = FakeUpstream.start();
    private final FakeUpstream backup = FakeUpstream.start();
    private final MutableClock clock = MutableClock.atFixedStart();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk tracing = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private AppServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        primary.close();
        backup.close();
        tracing.close();
    }

    /** The primary route {@code openai} at /openai/* and its fallback {@code backup} at /backup/*. */
    private void start(Map<String, String> primaryParams, Map<String, String> backupParams) throws Exception {
        Map<String, String> first = new LinkedHashMap<>(Map.of("provider", "openai",
                "baseUrl", primary.baseUri().toString(), "keys", PRIMARY_KEY, "fallback", "backup",
                // The retries' waits are real time on a servlet route: keep them short here.
                "retryBackoff", "1ms"));
        first.putAll(primaryParams);
        Map<String, String> second = new LinkedHashMap<>(Map.of("provider", "openai",
                "baseUrl", backup.baseUri().toString(), "keys", BACKUP_KEY, "fallbackModel", "gpt-4o-mini"));
        second.putAll(backupParams);
        server = AppServer.builder().attribute(RouteLifecycle.CLOCK_ATTRIBUTE, clock)
                .attribute(RouteLifecycle.METER_REGISTRY_ATTRIBUTE, meters)
                .attribute(RouteLifecycle.OPEN_TELEMETRY_ATTRIBUTE, tracing)
                .route("openai", first).route("backup", second)
                .servlet("/stub/*", new SameServerUpstream())
                .start();
    }

    /** An upstream in the proxy's own context, at {@code /stub/*}: for base URLs on this server ({@code /stub}). */
    private static final class SameServerUpstream extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("application/json");
            response.getWriter().write("{\"served_by\":\"this server\",\"path\":\"" + request.getPathInfo() + "\"}");
        }
    }

    private HttpResponse<String> chat(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("openai/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(CHAT))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static FakeUpstream.Reply servedBy(String who) {
        return FakeUpstream.ok("{\"served_by\":\"" + who + "\"}");
    }

    private double fallbacks(String reason) {
        var counter = meters.find(MeterNames.FALLBACKS).tag("from", "openai").tag("to", "backup")
                .tag("reason", reason).counter();
        return counter == null ? -1 : counter.count();
    }

    @Test
    void aProviderThatFailsTransientlyIsReplacedByTheFallbackRouteWithItsModel() throws Exception {
        primary.on(PRIMARY_KEY, FakeUpstream.status(503));
        backup.on(BACKUP_KEY, FakeUpstream.dynamic(request -> FakeUpstream.ok(
                "{\"model\":\"" + request.model() + "\",\"served_by\":\"backup\"}")));
        start(Map.of(), Map.of());

        HttpResponse<String> response = chat();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"model\":\"gpt-4o-mini\",\"served_by\":\"backup\"}");
        assertThat(response.headers().firstValue("X-Keyfailover-Route")).hasValue("backup");
        assertThat(response.headers().firstValue("X-Keyfailover-Model")).hasValue("gpt-4o-mini");
        assertThat(Integer.parseInt(response.headers().firstValue("X-Keyfailover-Attempts").orElseThrow()))
                .as("attempts on every route").isEqualTo(primary.requests().size() + backup.requests().size());
        FakeUpstream.RecordedRequest sent = backup.requests().get(0);
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.key()).isEqualTo(BACKUP_KEY);
        assertThat(sent.bodyText()).isEqualTo(CHAT.replace("gpt-4o", "gpt-4o-mini"));
        assertThat(fallbacks("transient")).isEqualTo(1);
    }

    @Test
    void aFallbackRouteWhoseBaseUrlIsOnThisServerIsReachedThroughTheOriginTheClientCameIn() throws Exception {
        primary.on(PRIMARY_KEY, FakeUpstream.status(503));
        start(Map.of(), Map.of("baseUrl", "/stub"));

        HttpResponse<String> response = chat();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"served_by\":\"this server\",\"path\":\"/v1/chat/completions\"}");
        assertThat(response.headers().firstValue("X-Keyfailover-Route")).hasValue("backup");
    }

    @Test
    void anAnswerTheFallbackRoutesKeyServedCountsOnTheFallbackRouteAndItsBudget() throws Exception {
        primary.on(PRIMARY_KEY, FakeUpstream.status(503));
        backup.on(BACKUP_KEY, FakeUpstream.ok(dev.keyfailover.chain.UsageShapes.OPENAI_JSON)); // 29 tokens
        start(Map.of("keyBudget", "1000 tokens per day"), Map.of("keyBudget", "20 tokens per day"));

        assertThat(chat().statusCode()).isEqualTo(200);

        await().untilAsserted(() -> assertThat(meters.find(MeterNames.TOKENS).tag("provider", "backup")
                .tag("type", "output").counter()).isNotNull().extracting(c -> c.count()).isEqualTo(10.0));
        await().untilAsserted(() -> assertThat(meters.find(MeterNames.TRANSITIONS).tag("provider", "backup")
                .tag("to", "budget").counter()).isNotNull().extracting(c -> c.count()).isEqualTo(1.0));
        assertThat(meters.find(MeterNames.TOKENS).tag("provider", "openai").counters()).isEmpty();
        assertThat(meters.find(MeterNames.TRANSITIONS).tag("provider", "openai").tag("to", "budget").counter().count())
                .isZero();
    }

    @Test
    void theFallbackRoutesAttemptsAreAttemptSpansOfTheSameRequest() throws Exception {
        primary.on(PRIMARY_KEY, FakeUpstream.status(503));
        backup.on(BACKUP_KEY, servedBy("backup"));
        start(Map.of(), Map.of());

        assertThat(chat().statusCode()).isEqualTo(200);

        await().until(() -> spans.getFinishedSpanItems().stream().anyMatch(span -> span.getKind() == SpanKind.INTERNAL));
        List<SpanData> all = spans.getFinishedSpanItems();
        List<SpanData> requests = all.stream().filter(span -> span.getKind() == SpanKind.INTERNAL).toList();
        assertThat(requests).hasSize(1);
        List<SpanData> attempts = all.stream().filter(span -> span.getKind() == SpanKind.CLIENT)
                .sorted(Comparator.comparing(span -> span.getAttributes().get(AttributeKey.longKey("keyfailover.attempt"))))
                .toList();
        int onPrimary = primary.requests().size();
        assertThat(attempts).hasSize(onPrimary + 1);
        assertThat(attempts).extracting(span -> span.getParentSpanId()).containsOnly(requests.get(0).getSpanId());
        assertThat(attempts).extracting(span -> span.getAttributes().get(AttributeKey.longKey("keyfailover.attempt")))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, onPrimary + 1).boxed().toList());
        SpanData last = attempts.get(onPrimary);
        assertThat(last.getAttributes().get(AttributeKey.stringKey("keyfailover.route"))).isEqualTo("backup");
        assertThat(last.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o-mini");
        assertThat(last.getAttributes().get(AttributeKey.stringKey("keyfailover.verdict"))).isEqualTo("served");
        assertThat(attempts.get(0).getAttributes().get(AttributeKey.stringKey("keyfailover.route"))).isEqualTo("openai");
        assertThat(attempts.get(0).getAttributes().get(AttributeKey.booleanKey("keyfailover.transient"))).isTrue();
    }

    @Test
    void anAnswerTheRouteServesItselfCarriesItsRouteAndNoRenamedModel() throws Exception {
        primary.on(PRIMARY_KEY, servedBy("primary"));
        start(Map.of(), Map.of());

        HttpResponse<String> response = chat();

        assertThat(response.body()).contains("primary");
        assertThat(response.headers().firstValue("X-Keyfailover-Route")).hasValue("openai");
        assertThat(response.headers().firstValue("X-Keyfailover-Model")).isEmpty();
        assertThat(backup.requests()).isEmpty();
    }

    @Test
    void aPoolThatRanDryHandsTheRequestToTheFallback() throws Exception {
        primary.on(PRIMARY_KEY, FakeUpstream.rateLimited("60"));
        backup.on(BACKUP_KEY, servedBy("backup"));
        start(Map.of(), Map.of());

        HttpResponse<String> response = chat();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("backup");
        assertThat(fallbacks("exhausted")).isEqualTo(1);
    }

    @Test
    void anErrorCodeThatFallbackOnNamesGoesToTheFallbackAndOthersToTheClient() throws Exception {
        primary.on(PRIMARY_KEY, FakeUpstream.json(400,
                "{\"error\":{\"message\":\"too long\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}"));
        backup.on(BACKUP_KEY, servedBy("backup"));
        start(Map.of("fallbackOn", "context_length_exceeded"), Map.of());

        assertThat(chat().body()).contains("backup");

        primary.on(PRIMARY_KEY, FakeUpstream.json(400,
                "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"code\":\"invalid_value\"}}"));
        HttpResponse<String> other = chat();
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(other.body()).contains("invalid_value");
        assertThat(backup.requests()).hasSize(1);
    }

    @Test
    void aClientsOwnKeyNeverGoesToAFallbackRoute() throws Exception {
        primary.on("sk-clients-own-key-000000000009", FakeUpstream.status(503));
        start(Map.of(), Map.of());

        HttpResponse<String> response = chat("Authorization", "Bearer sk-clients-own-key-000000000009");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(backup.requests()).isEmpty();
    }

    @Test
    void aSilentProviderGoesToTheFallbackAtOnce() throws Exception {
        primary.on(PRIMARY_KEY, FakeUpstream.stall());
        backup.on(BACKUP_KEY, servedBy("backup"));
        start(Map.of("responseTimeout", "300ms"), Map.of());

        HttpResponse<String> response = chat();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("backup");
        assertThat(primary.requests()).as("a timeout is never retried on the same route").hasSize(1);
        assertThat(fallbacks("timeout")).isEqualTo(1);
    }

    @Test
    void whenNoRouteServesTheClientGetsTheFirstRoutesAnswerWithTheSoonestRetryAfter() throws Exception {
        primary.on(PRIMARY_KEY, FakeUpstream.rateLimited("60"));
        backup.on(BACKUP_KEY, FakeUpstream.rateLimited("10"));
        start(Map.of(), Map.of());

        HttpResponse<String> response = chat();

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(response.body()).contains("openai");
    }

    @Test
    void aFallbackRouteThatIsDownIsLoggedOncePerWindowNotOncePerRequest() throws Exception {
        int closedPort;
        try (java.net.ServerSocket unused = new java.net.ServerSocket(0)) {
            closedPort = unused.getLocalPort();
        }
        primary.on(PRIMARY_KEY, FakeUpstream.status(503));
        start(Map.of("retries", "0", "breakerThreshold", "1000"),
                Map.of("retries", "0", "baseUrl", "http://127.0.0.1:" + closedPort));
        CapturedLogs.clear();

        for (int i = 0; i < 30; i++) {
            assertThat(chat().statusCode()).as("the first route's own answer").isEqualTo(503);
        }
        clock.advance(LogThrottle.WINDOW);
        assertThat(chat().statusCode()).isEqualTo(503);

        List<String> lines = CapturedLogs.events().stream().map(CapturedLogs.Event::message)
                .filter(message -> message.startsWith("openai: fallback route 'backup' failed: ")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).doesNotContain("more like it");
        assertThat(lines.get(1)).endsWith("(29 more like it in the 10 s after the last one logged)");
    }

    @Test
    void aFallbackRouteOfAnotherApiStopsTheDeploymentNamingBothRoutes() {
        assertThatThrownBy(() -> start(Map.of(), Map.of("provider", "anthropic")))
                .hasStackTraceContaining("route 'openai' names 'backup' in parameter 'fallback', but 'openai' "
                        + "speaks the openai API and 'backup' the anthropic API");
    }

    @Test
    void theBreakerSkipsAFailingRouteProbesItOncePerCooldownAndClosesWhenItServes() throws Exception {
        primary.on(PRIMARY_KEY, FakeUpstream.status(503));
        backup.on(BACKUP_KEY, servedBy("backup"));
        // Without retries, each failed request is one attempt on the primary.
        start(Map.of("breakerThreshold", "2", "breakerCooldown", "10s", "retries", "0"), Map.of());

        chat();
        chat();
        assertThat(primary.requests()).as("two requests failed on the primary").hasSize(2);
        assertThat(chat().body()).contains("backup");
        assertThat(primary.requests()).as("the open breaker skips the primary").hasSize(2);
        assertThat(fallbacks("breaker_open")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(10));
        primary.on(PRIMARY_KEY, servedBy("primary"));
        assertThat(chat().body()).as("one request probes the primary after the cooldown").contains("primary");
        assertThat(chat().body()).as("the breaker closed").contains("primary");
        assertThat(primary.requests()).hasSize(4);
    }

    @Test
    void aFailedProbeOpensTheBreakerForAnotherCooldown() throws Exception {
        primary.on(PRIMARY_KEY, FakeUpstream.status(503));
        backup.on(BACKUP_KEY, servedBy("backup"));
        start(Map.of("breakerThreshold", "1", "breakerCooldown", "10s", "retries", "0"), Map.of());

        chat();
        clock.advance(Duration.ofSeconds(10));
        assertThat(chat().body()).contains("backup");
        assertThat(primary.requests()).as("the probe").hasSize(2);
        clock.advance(Duration.ofSeconds(9));
        chat();
        assertThat(primary.requests()).as("open again for a whole cooldown").hasSize(2);
    }
}
