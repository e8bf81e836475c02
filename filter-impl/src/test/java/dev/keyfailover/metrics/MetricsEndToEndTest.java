package dev.keyfailover.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.pool.KeyHint;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.servlet.RouteLifecycle;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** behaviour.md §11 end to end: the meters of a route served by the servlet on Jetty, a fake upstream, real sockets. */
class MetricsEndToEndTest {

    private static final String LIMITED = "sk-limited-000000001";
    private static final String REVOKED = "sk-revoked-000000002";
    private static final String GOOD = "sk-good-0000000000003";
    private static final String KEYS = LIMITED + "," + REVOKED + "," + GOOD;
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private ProxyServer start(Object meterRegistry, String... more) throws Exception {
        Map<String, String> params = new HashMap<>();
        params.put("provider", "openai");
        params.put("baseUrl", upstream.baseUri().toString());
        params.put("keys", KEYS);
        params.put("authRecheck", "never");
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        proxy = ProxyServer.servlet(params, null, meterRegistry == null ? Map.of()
                : Map.of(RouteLifecycle.METER_REGISTRY_ATTRIBUTE, meterRegistry));
        return proxy;
    }

    private HttpResponse<String> post(String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double count(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private static long timed(MeterRegistry registry, String outcome) {
        return registry.get(MeterNames.UPSTREAM_DURATION).tags("provider", "openai", "outcome", outcome).timer().count();
    }

    private double attempts(String key, String outcome) {
        return count(registry, MeterNames.ATTEMPTS, "provider", "openai", "key", KeyHint.of(key), "outcome", outcome);
    }

    private double transitions(String key, String to) {
        return count(registry, MeterNames.TRANSITIONS, "provider", "openai", "key", KeyHint.of(key), "to", to);
    }

    private double requests(String outcome) {
        return count(registry, MeterNames.REQUESTS, "provider", "openai", "outcome", outcome);
    }

    private double total(String name) {
        return registry.find(name).counters().stream().mapToDouble(counter -> counter.count()).sum();
    }

    /** Requests are counted once their answer is written: the client may read it a moment before. */
    private void awaitRequests(double total) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> total(MeterNames.REQUESTS) >= total);
    }

    private double keys(KeyState state) {
        return registry.get(MeterNames.KEYS).tags("provider", "openai", "state", state.name()).gauge().value();
    }

    @Test
    void aScriptedRunCountsEveryRequestAttemptTransitionAndExhaustionOnce() throws Exception {
        upstream.on(LIMITED, FakeUpstream.rateLimited("30")).on(REVOKED, FakeUpstream.status(401))
                .on(GOOD, FakeUpstream.ok("{\"served\":true}"))
                .on("sk-client-own-key-0000000009", FakeUpstream.ok("{\"byok\":true}"));
        start(registry, "cooldownScope", "key", "responseTimeout", "300ms", "maxBodyBytes", "1KiB");

        assertThat(post(BODY).statusCode()).as("failover past 429 and 401").isEqualTo(200);
        FakeUpstream.Stall stall = FakeUpstream.stall();
        upstream.on(GOOD, stall);
        try {
            assertThat(post(BODY).statusCode()).as("the good key times out").isEqualTo(504);
        } finally {
            stall.release();
        }
        upstream.on(GOOD, FakeUpstream.rateLimited("30"));
        assertThat(post(BODY).statusCode()).as("every key rate-limited").isEqualTo(429);
        assertThat(post(BODY, "Authorization", "Bearer sk-client-own-key-0000000009").body()).contains("byok");
        assertThat(post("{\"pad\":\"" + "x".repeat(2048) + "\"}", "Authorization", "Bearer sk-client-own-key-0000000009")
                .statusCode()).as("too large, BYOK or not").isEqualTo(413);
        awaitRequests(5);

        assertThat(requests("served")).isEqualTo(1);
        assertThat(requests("byok")).isEqualTo(1);
        assertThat(requests("exhausted")).isEqualTo(1);
        assertThat(requests("proxy_error")).as("504 and 413").isEqualTo(2);
        assertThat(requests("client_error")).isZero();

        assertThat(attempts(LIMITED, "rate_limited")).as("cooling afterwards, not tried again").isEqualTo(1);
        assertThat(attempts(REVOKED, "unauthorized")).isEqualTo(1);
        assertThat(attempts(GOOD, "ok")).isEqualTo(1);
        assertThat(attempts(GOOD, "timeout")).as("a timeout, told by its type, not retried").isEqualTo(1);
        assertThat(attempts(GOOD, "rate_limited")).isEqualTo(1);
        assertThat(total(MeterNames.ATTEMPTS)).isEqualTo(5);

        assertThat(transitions(LIMITED, "cooling")).isEqualTo(1);
        assertThat(transitions(REVOKED, "disabled")).isEqualTo(1);
        assertThat(transitions(GOOD, "cooling")).isEqualTo(1);
        assertThat(total(MeterNames.TRANSITIONS)).isEqualTo(3);

        assertThat(count(registry, MeterNames.EXHAUSTIONS, "provider", "openai", "kind", "rate_limited")).isEqualTo(1);
        assertThat(total(MeterNames.EXHAUSTIONS)).isEqualTo(1);

        assertThat(timed(registry, "ok")).as("the good key's answer and the BYOK one").isEqualTo(2);
        assertThat(timed(registry, "rate_limited")).isEqualTo(2);
        assertThat(timed(registry, "unauthorized")).isEqualTo(1);
        assertThat(timed(registry, "timeout")).isEqualTo(1);
        assertThat(registry.get(MeterNames.UPSTREAM_DURATION).tags("outcome", "timeout").timer()
                .totalTime(TimeUnit.MILLISECONDS)).as("until the response timeout").isGreaterThan(250);

        assertThat(keys(KeyState.COOLING)).isEqualTo(2);
        assertThat(keys(KeyState.DISABLED)).isEqualTo(1);
        assertThat(keys(KeyState.VALID)).isZero();
        assertThat(keys(KeyState.EXHAUSTED)).isZero();
    }

    @Test
    void aClientThatLeavesMidStreamIsOneClientErrorAndItsAttemptStaysOk() throws Exception {
        FakeUpstream.Flood flood = FakeUpstream.flood(1024L << 20);
        upstream.on(LIMITED, flood);
        start(registry);

        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("POST /app/openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().readNBytes(256 * 1024)).hasSize(256 * 1024);
            socket.setSoLinger(true, 0);
        }

        await().atMost(Duration.ofSeconds(10)).until(flood::finished);
        awaitRequests(1);
        assertThat(requests("client_error")).isEqualTo(1);
        assertThat(total(MeterNames.REQUESTS)).isEqualTo(1);
        assertThat(attempts(LIMITED, "ok")).isEqualTo(1);
        assertThat(total(MeterNames.ATTEMPTS)).isEqualTo(1);
        assertThat(total(MeterNames.EXHAUSTIONS)).isZero();
        assertThat(timed(registry, "ok")).isEqualTo(1);
    }

    @Test
    void noTagHoldsAWholeKey() throws Exception {
        upstream.on(LIMITED, FakeUpstream.rateLimited("30")).on(REVOKED, FakeUpstream.status(401))
                .on(GOOD, FakeUpstream.ok("{}"));
        start(registry);
        post(BODY);

        List<String> values = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                values.add(tag.getValue());
            }
        }
        assertThat(values).contains(KeyHint.of(GOOD)).noneMatch(value -> value.contains("000000"));
    }

    @Test
    void concurrentRequestsThatAllMeetA429CountOneTransition() throws Exception {
        CountDownLatch allSent = new CountDownLatch(1);
        upstream.on(LIMITED, FakeUpstream.dynamic(request -> {
            try {
                allSent.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeUpstream.rateLimited("30");
        })).on(GOOD, FakeUpstream.ok("{}"));
        start(registry, "keys", LIMITED + "," + GOOD);
        int clients = 12;

        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> post(BODY)));
            }
            await().until(() -> upstream.requests().size() >= clients);
            allSent.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).isEqualTo(200);
            }
        } finally {
            allSent.countDown();
            pool.shutdownNow();
        }
        awaitRequests(clients);

        assertThat(attempts(LIMITED, "rate_limited")).isEqualTo(clients);
        assertThat(transitions(LIMITED, "cooling")).as("one real change").isEqualTo(1);
        assertThat(requests("served")).isEqualTo(clients);
        // The default cooldown scope is the model: the key as a whole stays VALID.
        assertThat(keys(KeyState.VALID)).isEqualTo(2);
        assertThat(keys(KeyState.COOLING)).isZero();
    }

    @Test
    void aRateLimitUsedUpIsATransitionToCoolingAndAResetOneToValid() throws Exception {
        upstream.on(LIMITED, FakeUpstream.ok("{}").withHeader("x-ratelimit-limit-requests", "100")
                        .withHeader("x-ratelimit-remaining-requests", "0").withHeader("x-ratelimit-reset-requests", "20s"))
                .on(REVOKED, FakeUpstream.status(401)).on(GOOD, FakeUpstream.ok("{}"));
        start(registry, "keys", REVOKED + "," + LIMITED, "cooldownScope", "key");

        post(BODY);
        HttpResponse<String> reset = client.send(HttpRequest.newBuilder(proxy.uri("/app/status.json?provider=openai&key=0"))
                .header("X-Keyfailover-Action", "reset").header("Authorization", "Bearer " + ProxyServer.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> again = client.send(HttpRequest.newBuilder(proxy.uri("/app/status.json?provider=openai&key=0"))
                .header("X-Keyfailover-Action", "reset").header("Authorization", "Bearer " + ProxyServer.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(attempts(LIMITED, "ok")).isEqualTo(1);
        assertThat(transitions(LIMITED, "cooling")).isEqualTo(1);
        assertThat(transitions(REVOKED, "disabled")).isEqualTo(1);
        assertThat(reset.body()).contains("\"changed\":true");
        assertThat(again.body()).contains("\"changed\":false");
        assertThat(transitions(REVOKED, "valid")).as("the reset that changed the key").isEqualTo(1);
    }

    @Test
    void aStoppedRouteLeavesNoMeterAndARestartedOneCountsFromZero() throws Exception {
        upstream.on(LIMITED, FakeUpstream.rateLimited("30")).on(REVOKED, FakeUpstream.status(401))
                .on(GOOD, FakeUpstream.ok("{}"));
        start(registry);
        post(BODY);
        post(BODY);
        awaitRequests(2);
        assertThat(requests("served")).isEqualTo(2);
        assertThat(registry.getMeters()).isNotEmpty();

        proxy.close();
        assertThat(registry.getMeters()).as("removed when the route stopped").isEmpty();

        start(registry);
        assertThat(requests("served")).isZero();
        post(BODY);
        awaitRequests(1);
        assertThat(requests("served")).isEqualTo(1);
        assertThat(transitions(LIMITED, "cooling")).isEqualTo(1);
    }

    @Test
    void withoutTheAttributeTheGlobalRegistryHasTheMetersWhileTheRouteRuns() throws Exception {
        SimpleMeterRegistry added = new SimpleMeterRegistry();
        Metrics.addRegistry(added);
        try {
            upstream.on(LIMITED, FakeUpstream.rateLimited("30")).on(REVOKED, FakeUpstream.status(401))
                    .on(GOOD, FakeUpstream.ok("{}"));
            start(null);
            post(BODY);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    count(added, MeterNames.REQUESTS, "provider", "openai", "outcome", "served") == 1);
            assertThat(count(added, MeterNames.REQUESTS, "provider", "openai", "outcome", "served")).isEqualTo(1);

            proxy.close();
            proxy = null;
            assertThat(added.find(MeterNames.REQUESTS).meters()).isEmpty();
            assertThat(Metrics.globalRegistry.find(MeterNames.REQUESTS).tag("provider", "openai").meters()).isEmpty();
        } finally {
            Metrics.removeRegistry(added);
        }
    }
}
