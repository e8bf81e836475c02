package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 64 clients, 20,000 requests, six keys flipping between 200, 429 and 401. Time is a fake clock
 * that moves one millisecond per request sent, so cooldowns and re-checks come and go during the
 * run whatever the speed of the machine.
 */
class ConcurrentStressTest {

    static final int THREADS = 64;
    static final int REQUESTS = 20_000;
    static final int KEYS = 6;
    static final long SEED = 6L;
    static final long MARGIN_MS = 400;
    static final long RECHECK_MS = 2_500;

    @Test
    @Timeout(120)
    void everyRequestGetsOneAnswerAndNoKeyIsUsedWhileItShouldBeHeldBack() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add("sk-stress-" + i + "-000000000000" + i);
        }
        MutableClock clock = MutableClock.atFixedStart();
        FlippingKeys schedule = new FlippingKeys(keys, SEED, clock, MARGIN_MS, RECHECK_MS);
        Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        CapturedLogs.clear();
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.otherwise(schedule.behaviour());
            try (ProxyServer proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), String.join(",", keys), null,
                    "authRecheck", RECHECK_MS + "ms"), clock)) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                ExecutorService threads = Executors.newFixedThreadPool(THREADS);
                List<Future<?>> done = new ArrayList<>();
                AtomicLong sent = new AtomicLong();
                for (int t = 0; t < THREADS; t++) {
                    done.add(threads.submit(() -> {
                        while (sent.incrementAndGet() <= REQUESTS) {
                            clock.advance(Duration.ofMillis(1));
                            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                    proxy.uri("/app/openai/v1/chat/completions"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            answers.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> thread : done) {
                    thread.get();
                }
                threads.shutdown();

                long answered = answers.values().stream().mapToLong(AtomicLong::get).sum();
                assertThat(answered).as("answers, one per request").isEqualTo(REQUESTS);
                assertThat(answers.keySet()).as("statuses " + answers).isSubsetOf(200, 429, 502);
                assertThat(answers.get(200).get()).as("client 200s = upstream 200s")
                        .isEqualTo(schedule.answered(200));
                assertThat(schedule.answered(429)).as("the schedule rate-limited keys").isPositive();
                assertThat(schedule.answered(401)).as("the schedule revoked keys").isPositive();
                assertThat(schedule.violations()).as("keys used while held back").isEmpty();
                List<KeySnapshot> snapshot = proxy.route().pool().snapshot();
                for (int i = 0; i < keys.size(); i++) {
                    assertThat(snapshot.get(i).attempts()).as("attempts of key " + i)
                            .isEqualTo(schedule.count(keys.get(i)));
                }
                assertThat(snapshot.stream().mapToLong(KeySnapshot::attempts).sum()).isEqualTo(schedule.total());
                assertThat(CapturedLogs.events()).as("exceptions or errors in the log").noneMatch(event ->
                        event.throwable() != null || event.level() == org.slf4j.event.Level.ERROR);
                Aftermath.assertClean(proxy, null);
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.println("ConcurrentStressTest: " + REQUESTS + " requests, " + schedule.total()
                + " upstream attempts, answers " + answers + ", " + seconds + " s");
    }
}
