package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.keyfailover.chain.UsageShapes;
import dev.keyfailover.pool.KeyHint;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §17 over real sockets, with the SDK's in-memory exporter given to the routes as the
 * context's OpenTelemetry: one request span, one attempt span per upstream attempt, the GenAI and
 * our attributes, nothing secret in any of them, and the W3C trace context upstream only when asked.
 */
class TracingOverHttpTest {

    private static final String LIMITED = "sk-trace-limited-00000000001";
    private static final String REVOKED = "sk-trace-revoked-00000000002";
    private static final String GOOD = "sk-trace-good-000000000003";
    private static final String ALICE = "tok-alice-trace-0123456789abcdef";
    private static final String PROMPT = "PROMPT-MARKER-7f3a";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + PROMPT + "\"}]}";
    private static final String CLIENT_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String CLIENT_PARENT = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + CLIENT_TRACE + "-" + CLIENT_PARENT + "-01";

    private static final AttributeKey<String> VERDICT = AttributeKey.stringKey("keyfailover.verdict");
    private static final AttributeKey<String> HINT = AttributeKey.stringKey("keyfailover.key.hint");
    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("keyfailover.attempt");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
        sdk.close();
    }

    private void start(OpenTelemetry openTelemetry, String... more) throws Exception {
        start(upstream.baseUri().toString(), openTelemetry, more);
    }

    private void start(String baseUrl, OpenTelemetry openTelemetry, String... more) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("provider", "openai", "baseUrl", baseUrl,
                "keys", LIMITED + "," + REVOKED + "," + GOOD, "authRecheck", "never"));
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        Map<String, Object> attributes = openTelemetry == null ? Map.of()
                : Map.of(RouteLifecycle.OPEN_TELEMETRY_ATTRIBUTE, openTelemetry);
        proxy = ProxyServer.servlet(params, MutableClock.atFixedStart(), attributes);
    }

    private HttpResponse<String> chat(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CHAT));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The finished spans once the request's span has ended (it ends after the answer was written). */
    private List<SpanData> spansOfOneRequest() {
        await().until(() -> exporter.getFinishedSpanItems().stream().anyMatch(span -> span.getKind() == SpanKind.INTERNAL));
        return exporter.getFinishedSpanItems();
    }

    private static SpanData requestSpan(List<SpanData> spans) {
        List<SpanData> requests = spans.stream().filter(span -> span.getKind() == SpanKind.INTERNAL).toList();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getName()).isEqualTo("keyfailover failover");
        return requests.get(0);
    }

    private static List<SpanData> attemptSpans(List<SpanData> spans) {
        return spans.stream().filter(span -> span.getKind() == SpanKind.CLIENT)
                .sorted(java.util.Comparator.comparing(span -> span.getAttributes().get(ATTEMPT))).toList();
    }

    @Test
    void aFailoverThroughACoolingAndADisabledKeyIsOneRequestSpanWithThreeAttempts() throws Exception {
        upstream.on(LIMITED, FakeUpstream.rateLimited("30")).on(REVOKED, FakeUpstream.status(401))
                .on(GOOD, FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        start(sdk, "clientTokens", "alice:" + ALICE);

        HttpResponse<String> answer = chat("Authorization", "Bearer " + ALICE);

        assertThat(answer.statusCode()).isEqualTo(200);
        List<SpanData> spans = spansOfOneRequest();
        SpanData request = requestSpan(spans);
        List<SpanData> attempts = attemptSpans(spans);
        assertThat(spans).hasSize(4);
        assertThat(attempts).extracting(span -> span.getAttributes().get(ATTEMPT)).containsExactly(1L, 2L, 3L);
        assertThat(attempts).extracting(span -> span.getAttributes().get(VERDICT))
                .containsExactly("cooling", "disabled", "served");
        assertThat(attempts).extracting(span -> span.getAttributes().get(HINT))
                .containsExactly(KeyHint.of(LIMITED), KeyHint.of(REVOKED), KeyHint.of(GOOD));
        assertThat(attempts).extracting(span -> span.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .containsExactly(429L, 401L, 200L);
        for (SpanData attempt : attempts) {
            assertThat(attempt.getName()).isEqualTo("keyfailover attempt");
            assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId());
            assertThat(attempt.getTraceId()).isEqualTo(request.getTraceId());
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("openai");
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o");
        }
        SpanData served = attempts.get(2);
        assertThat(served.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(19L);
        assertThat(served.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(10L);
        assertThat(attempts.get(0).getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isNull();
        assertThat(request.getParentSpanContext().isValid()).as("no parent: the client sent no traceparent").isFalse();
        assertThat(request.getAttributes().get(HINT)).isEqualTo(KeyHint.of(GOOD));
        assertThat(request.getAttributes().get(AttributeKey.stringKey("keyfailover.route"))).isEqualTo("openai");
        assertThat(request.getAttributes().get(AttributeKey.stringKey("keyfailover.client"))).isEqualTo("alice");
        assertThat(request.getAttributes().get(AttributeKey.stringKey("keyfailover.key.source"))).isEqualTo("pool");
        assertThat(request.getAttributes().get(AttributeKey.longKey("keyfailover.attempts"))).isEqualTo(3L);
        assertThat(request.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(10L);
        assertNothingSecretIn(spans, LIMITED, REVOKED, GOOD, ALICE, PROMPT);
        assertThat(upstream.requests()).allSatisfy(sent -> assertThat(sent.header("traceparent")).isNull());
    }

    private static void assertNothingSecretIn(List<SpanData> spans, String... secrets) {
        for (SpanData span : spans) {
            String everything = span.getName() + span.getAttributes().asMap().values() + span.getStatus()
                    + span.getEvents();
            for (String secret : secrets) {
                assertThat(everything).doesNotContain(secret);
            }
        }
    }

    @Test
    void withPropagateTraceContextEachAttemptSendsItsOwnSpansTraceparentUnderTheClientsTrace() throws Exception {
        upstream.on(LIMITED, FakeUpstream.rateLimited("30")).on(REVOKED, FakeUpstream.status(401))
                .on(GOOD, FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        start(sdk, "propagateTraceContext", "true");

        assertThat(chat("traceparent", TRACEPARENT).statusCode()).isEqualTo(200);

        List<SpanData> spans = spansOfOneRequest();
        SpanData request = requestSpan(spans);
        assertThat(request.getTraceId()).isEqualTo(CLIENT_TRACE);
        assertThat(request.getParentSpanId()).isEqualTo(CLIENT_PARENT);
        List<SpanData> attempts = attemptSpans(spans);
        assertThat(upstream.requests()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(upstream.requests().get(i).header("traceparent"))
                    .isEqualTo("00-" + CLIENT_TRACE + "-" + attempts.get(i).getSpanId() + "-01");
        }
    }

    @Test
    void withoutPropagateTraceContextNoTraceparentIsAddedAndTheClientsOwnPassesAsItWas() throws Exception {
        upstream.on(GOOD, FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        start(sdk, "keys", GOOD);

        assertThat(chat().statusCode()).isEqualTo(200);
        assertThat(spansOfOneRequest()).hasSize(2);
        assertThat(chat("traceparent", TRACEPARENT).statusCode()).isEqualTo(200);

        assertThat(upstream.requests().get(0).header("traceparent")).isNull();
        assertThat(upstream.requests().get(1).header("traceparent")).isEqualTo(TRACEPARENT);
    }

    @Test
    void withTheApisNoopRequestsFailOverAsAlwaysAndTheClientsTraceparentPassesAsItCame() throws Exception {
        upstream.on(LIMITED, FakeUpstream.rateLimited("30")).on(REVOKED, FakeUpstream.status(401))
                .on(GOOD, FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        // The API's no-op, as the global OpenTelemetry is when neither an SDK nor the agent is installed.
        start(OpenTelemetry.noop());

        HttpResponse<String> answer = chat("traceparent", TRACEPARENT);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(UsageShapes.OPENAI_JSON);
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, REVOKED, GOOD);
        // That nothing is kept for the request under the no-op: NoopTracingTest.
        assertThat(upstream.requests()).extracting(sent -> sent.header("traceparent"))
                .containsOnly(TRACEPARENT);
    }

    @Test
    void aTransportFailureIsAnErrorWithItsExceptionTypeAndNoMessage() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        start("http://127.0.0.1:" + closed + "/v1", sdk, "keys", GOOD, "retries", "0");

        assertThat(chat().statusCode()).isEqualTo(502);

        List<SpanData> spans = spansOfOneRequest();
        SpanData request = requestSpan(spans);
        SpanData attempt = attemptSpans(spans).get(0);
        for (SpanData span : List.of(request, attempt)) {
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).contains("Exception");
            assertThat(span.getStatus().getDescription()).doesNotContain(" ").doesNotContain(String.valueOf(closed));
            assertThat(span.getEvents()).isEmpty();
        }
        assertThat(attempt.getAttributes().get(HINT)).isEqualTo(KeyHint.of(GOOD));
    }

    @Test
    void aByokRequestIsMarkedAsTheClientsKeyWithNoHint() throws Exception {
        String own = "sk-users-own-trace-key-000001";
        upstream.on(own, FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        start(sdk, "keys", GOOD, "byok", "allow");

        assertThat(chat("Authorization", "Bearer " + own).statusCode()).isEqualTo(200);

        List<SpanData> spans = spansOfOneRequest();
        SpanData request = requestSpan(spans);
        assertThat(request.getAttributes().get(AttributeKey.stringKey("keyfailover.key.source"))).isEqualTo("client");
        assertThat(spans).hasSize(2).allSatisfy(span -> assertThat(span.getAttributes().get(HINT)).isNull());
        assertThat(attemptSpans(spans).get(0).getAttributes().get(VERDICT)).isNull();
        assertNothingSecretIn(spans, own, GOOD, PROMPT);
    }
}
