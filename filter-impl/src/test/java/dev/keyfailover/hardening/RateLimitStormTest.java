package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 429 everywhere and absurd advice: the pool cools, answers honestly, and never hammers upstream. */
class RateLimitStormTest {

    static final String KEYS = "sk-storm-a-000000001,sk-storm-b-000000002,sk-storm-c-000000003";
    static final int CLIENTS = 200;

    @TempDir
    Path spill;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start();
    private final MutableClock clock = MutableClock.atFixedStart();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private HttpResponse<String> post() throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(UpstreamFaultsTest.BIG_BODY)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStormOf429OnEveryKeyIsAnsweredWith429sAndEachKeyIsTriedOncePerCooldown() throws Exception {
        upstream.otherwise(FakeUpstream.rateLimited("30"));
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill), clock);

        List<HttpResponse<String>> answers = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                sent.add(threads.submit(this::post));
            }
            for (Future<HttpResponse<String>> answer : sent) {
                answers.add(answer.get());
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(429);
            assertThat(answer.body()).contains("rate_limit_exceeded");
            assertThat(answer.headers().firstValue("Retry-After").map(Integer::parseInt))
                    .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(0, 30));
        });
        // Concurrent requests may each meet a key before the first 429 marks it, never after.
        assertThat(upstream.requests().size()).isLessThanOrEqualTo(3 * 16);
        assertThat(proxy.route().pool().snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.COOLING);

        upstream.clearRequests();
        post();
        assertThat(upstream.requests()).as("nothing is sent while every key cools").isEmpty();
        clock.advance(Duration.ofSeconds(30));
        post();
        assertThat(upstream.keysSeen()).as("after the cooldown, each key once again").containsExactly(
                "sk-storm-a-000000001", "sk-storm-b-000000002", "sk-storm-c-000000003");
        Aftermath.assertClean(proxy, spill);
    }

    @Test
    void aRetryAfterOfYearsCoolsTheKeyForOneHourByDefault() throws Exception {
        upstream.on("sk-storm-a-000000001", FakeUpstream.rateLimited("315360000"))
                .on("sk-storm-b-000000002", FakeUpstream.rateLimitedMillis(315_360_000_000L))
                .on("sk-storm-c-000000003", FakeUpstream.rateLimited("Fri, 31 Dec 2100 23:59:59 GMT"));
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill), clock);

        HttpResponse<String> answer = post();

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("3600");
        assertThat(proxy.route().pool().snapshot()).allSatisfy(key -> {
            assertThat(key.state()).isEqualTo(KeyState.COOLING);
            assertThat(key.cooldownRemaining()).isEqualTo(Duration.ofHours(1));
        });
        upstream.clearRequests();
        clock.advance(Duration.ofHours(1));
        post();
        assertThat(upstream.requests()).as("every key is back after the cap").hasSize(3);
        Aftermath.assertClean(proxy, spill);
    }

    @Test
    void maxCooldownCapsAdvisedWaitsAtTheConfiguredValue() throws Exception {
        upstream.otherwise(FakeUpstream.rateLimited("315360000"));
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEYS, spill, "maxCooldown", "5m"), clock);

        HttpResponse<String> answer = post();

        assertThat(answer.headers().firstValue("Retry-After")).hasValue("300");
        assertThat(proxy.route().pool().snapshot()).extracting(KeySnapshot::cooldownRemaining)
                .containsOnly(Duration.ofMinutes(5));
        Aftermath.assertClean(proxy, spill);
    }
}
