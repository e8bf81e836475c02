package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keyfailover.chain.UsageShapes;
import dev.keyfailover.testing.AppServer;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.FakeUpstream.RecordedRequest;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.RawHttp;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §17, {@code propagateTraceContext}, with the OpenTelemetry Java agent running, as
 * the failsafe execution {@code with-java-agent} starts this JVM (exporters off: nothing leaves
 * it). The agent's Apache HttpClient 5 instrumentation sets its {@code traceparent} (and
 * {@code baggage}) on the request the proxy hands to its client; with {@code false} what the
 * provider receives is still exactly the trace headers the client sent, on every attempt, and with
 * {@code true} each attempt's own span's {@code traceparent} beside the client's other ones. The client is a plain socket: the agent instruments the
 * JDK's HTTP clients, and the test must know exactly what the client sent.
 */
class TraceHeadersWithJavaAgentIT {

    private static final String LIMITED = "sk-agent-limited-000000000001";
    private static final String GOOD = "sk-agent-good-0000000000002";
    private static final String SPENT = "sk-agent-primary-spent-00003";
    private static final String BACKUP = "sk-agent-backup-good-0000004";
    private static final String FLAKY = "sk-agent-flaky-00000000000005";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String CLIENT_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String CLIENT_PARENT = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + CLIENT_TRACE + "-" + CLIENT_PARENT + "-01";
    private static final String TRACESTATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
    private static final String BAGGAGE = "tenant=acme , user.id=alice%20smith";
    private static final Pattern W3C = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    private static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate", "baggage");

    private final FakeUpstream upstream = FakeUpstream.start();
    private AppServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        upstream.close();
    }

    /**
     * Three routes of one application, the global OpenTelemetry (the agent's): {@code openai} with a
     * limited key then a good one; {@code primary}, whose only key is spent, falling back to
     * {@code backup}; {@code flaky}, whose provider fails once (503) and is retried.
     */
    private void start(boolean propagate) throws Exception {
        AtomicInteger flakyAnswers = new AtomicInteger();
        upstream.on(LIMITED, FakeUpstream.rateLimited("30")).on(GOOD, FakeUpstream.ok(UsageShapes.OPENAI_JSON))
                .on(SPENT, FakeUpstream.rateLimited("60")).on(BACKUP, FakeUpstream.ok(UsageShapes.OPENAI_JSON))
                .on(FLAKY, FakeUpstream.dynamic(sent -> flakyAnswers.getAndIncrement() == 0 ? FakeUpstream.status(503)
                        : FakeUpstream.ok(UsageShapes.OPENAI_JSON)));
        String base = upstream.baseUri().toString();
        String propagation = Boolean.toString(propagate);
        server = AppServer.builder().attribute(RouteLifecycle.CLOCK_ATTRIBUTE, MutableClock.atFixedStart())
                .route("openai", route(Map.of("keys", LIMITED + "," + GOOD, "baseUrl", base,
                        "propagateTraceContext", propagation)))
                .route("primary", route(Map.of("keys", SPENT, "baseUrl", base, "fallback", "backup",
                        "propagateTraceContext", propagation)))
                .route("backup", route(Map.of("keys", BACKUP, "baseUrl", base,
                        "propagateTraceContext", propagation)))
                // A retry's wait is real time on a servlet route: kept short.
                .route("flaky", route(Map.of("keys", FLAKY, "baseUrl", base, "retryBackoff", "1ms",
                        "propagateTraceContext", propagation)))
                .start();
    }

    private static Map<String, String> route(Map<String, String> params) {
        Map<String, String> all = new HashMap<>(params);
        all.putAll(Map.of("provider", "openai", "authRecheck", "never"));
        return all;
    }

    /** A chat request to a route, with exactly these extra header lines; the answer's status line. */
    private String chat(String route, String... headerLines) throws Exception {
        StringBuilder request = new StringBuilder("POST /app/" + route + "/v1/chat/completions HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + CHAT.length() + "\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        String answer = RawHttp.exchange(server.port(), request.append("\r\n").append(CHAT).toString());
        return answer.substring(0, answer.indexOf("\r\n"));
    }

    private static Map<String, List<String>> traceHeadersOf(RecordedRequest sent) {
        return Map.of("traceparent", sent.headerValues("traceparent"), "tracestate", sent.headerValues("tracestate"),
                "baggage", sent.headerValues("baggage"));
    }

    @Test
    void theAgentIsRunningAndSetsItsTraceparentOnApacheHttpClientRequests() throws Exception {
        // What the other tests prove only means something if the agent injects where the proxy sends.
        Span probe = GlobalOpenTelemetry.getTracer("probe").spanBuilder("probe").startSpan();
        assertThat(probe.getSpanContext().isValid()).as("the Java agent's SDK behind the global API").isTrue();
        probe.end();
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            client.execute(new HttpGet(upstream.baseUri().resolve("v1/models")), response -> response.getCode());
        }
        assertThat(upstream.requests().get(0).header("traceparent")).matches(W3C);
    }

    @Test
    void offWithoutTraceHeadersFromTheClientNoAttemptCarriesAny() throws Exception {
        start(false);

        assertThat(chat("openai")).endsWith("200 OK");

        assertThat(upstream.keysSeen()).containsExactly(LIMITED, GOOD);
        for (RecordedRequest sent : upstream.requests()) {
            for (String name : TRACE_HEADERS) {
                assertThat(sent.headerValues(name)).as(name + " of the attempt with " + sent.key()).isEmpty();
            }
        }
    }

    @Test
    void offTheClientsOwnTraceHeadersGoUpstreamAsTheyCameOnEveryAttempt() throws Exception {
        start(false);

        assertThat(chat("openai", "traceparent: " + TRACEPARENT, "tracestate: " + TRACESTATE,
                "baggage: " + BAGGAGE)).endsWith("200 OK");

        assertThat(upstream.keysSeen()).containsExactly(LIMITED, GOOD);
        Map<String, List<String>> sentByTheClient = Map.of("traceparent", List.of(TRACEPARENT),
                "tracestate", List.of(TRACESTATE), "baggage", List.of(BAGGAGE));
        assertThat(upstream.requests()).extracting(TraceHeadersWithJavaAgentIT::traceHeadersOf)
                .containsExactly(sentByTheClient, sentByTheClient);
    }

    @Test
    void offTheFallbackRoutesAttemptCarriesTheClientsTraceparentToo() throws Exception {
        start(false);

        assertThat(chat("primary", "traceparent: " + TRACEPARENT)).endsWith("200 OK");

        assertThat(upstream.keysSeen()).containsExactly(SPENT, BACKUP);
        assertThat(upstream.requests()).extracting(TraceHeadersWithJavaAgentIT::traceHeadersOf).containsOnly(
                Map.of("traceparent", List.of(TRACEPARENT), "tracestate", List.of(), "baggage", List.of()));
    }

    @Test
    void offARetryAfterATransientFailureCarriesTheClientsTraceparentToo() throws Exception {
        start(false);

        assertThat(chat("flaky", "traceparent: " + TRACEPARENT)).endsWith("200 OK");

        assertThat(upstream.keysSeen()).containsExactly(FLAKY, FLAKY);
        assertThat(upstream.requests()).extracting(sent -> sent.headerValues("traceparent"))
                .containsExactly(List.of(TRACEPARENT), List.of(TRACEPARENT));
    }

    @Test
    void onEachAttemptCarriesItsOwnSpanUnderTheClientsTraceAndTheClientsBaggage() throws Exception {
        start(true);

        assertThat(chat("openai", "traceparent: " + TRACEPARENT, "baggage: " + BAGGAGE)).endsWith("200 OK");

        assertThat(upstream.keysSeen()).containsExactly(LIMITED, GOOD);
        // Not the agent's re-encoding: the client's, as for every header that is not the attempt's traceparent.
        assertThat(upstream.requests()).extracting(request -> request.headerValues("baggage"))
                .containsExactly(List.of(BAGGAGE), List.of(BAGGAGE));
        List<Matcher> sent = upstream.requests().stream().map(request -> {
            assertThat(request.headerValues("traceparent")).hasSize(1);
            Matcher traceparent = W3C.matcher(request.header("traceparent"));
            assertThat(traceparent.matches()).as(request.header("traceparent")).isTrue();
            return traceparent;
        }).toList();
        assertThat(sent).extracting(traceparent -> traceparent.group(1)).containsOnly(CLIENT_TRACE);
        assertThat(sent.get(0).group(2)).isNotEqualTo(sent.get(1).group(2));
        assertThat(sent).extracting(traceparent -> traceparent.group(2)).doesNotContain(CLIENT_PARENT);
    }

    @Test
    void onWithoutATraceFromTheClientBothAttemptsAreSpansOfOneNewTrace() throws Exception {
        start(true);

        assertThat(chat("openai")).endsWith("200 OK");

        List<Matcher> sent = upstream.requests().stream().map(request -> W3C.matcher(request.header("traceparent")))
                .filter(Matcher::matches).toList();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).group(1)).isEqualTo(sent.get(1).group(1));
        assertThat(sent.get(0).group(2)).isNotEqualTo(sent.get(1).group(2));
    }
}
