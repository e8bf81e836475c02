package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.PoolChange;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * behaviour.md §14, "no request lost while keys change": 64 clients over real sockets while the
 * route's keys file is rewritten 50 times (keys added, removed, reordered; in place and by rename).
 * Every request is one a key could serve (every key is good, no version is empty), so every one
 * must get its whole answer; and no request that started after a key's removal completed (the
 * swap done and the key retired, as the pool's listener hears it) may reach the upstream with that
 * key. Order is a global sequence, not the wall clock.
 */
class KeysChangeUnderLoadTest {

    private static final int CLIENTS = 64;
    private static final int REWRITES = 50;
    private static final byte[] BODY = ("{\"data\":\"" + "x".repeat(32 * 1024) + "\"}").getBytes();

    @TempDir
    Path dir;

    private final AtomicLong sequence = new AtomicLong();
    /** Request id → the sequence number when its client started it. */
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    /** Upstream attempts: the request id and the key's fingerprint. */
    private final ConcurrentLinkedQueue<String[]> attempts = new ConcurrentLinkedQueue<>();
    /** Fingerprint → the sequence number when its removal completed. */
    private final Map<String, Long> removed = new ConcurrentHashMap<>();
    private final FakeUpstream upstream = FakeUpstream.start().otherwise(FakeUpstream.dynamic(request -> {
        attempts.add(new String[] {request.header("X-Test-Request"), KeyFingerprint.of(request.key())});
        return new FakeUpstream.Reply(200, Map.of("Content-Type", "application/json"), BODY);
    }));
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    @Test
    void noRequestIsLostWhileTheKeysFileIsRewrittenFiftyTimes() throws Exception {
        Random random = new Random(14);
        AtomicInteger fresh = new AtomicInteger();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(key(fresh.getAndIncrement()));
        }
        Path file = Files.writeString(dir.resolve("keys"), String.join("\n", keys) + "\n");
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(),
                "keysFile", file.toString()), null, Map.of(), ProxyServer.STATUS_PARAMS);
        proxy.route().pool().listen((PoolChange change) -> {
            long now = sequence.incrementAndGet();
            change.removed().forEach(key -> removed.put(key.fingerprint(), now));
        });

        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger served = new AtomicInteger();
        CountDownLatch everyClientSent = new CountDownLatch(CLIENTS);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int n = 0; running.get() || n == 0; n++) {
                    String id = client + "-" + n;
                    started.put(id, sequence.incrementAndGet());
                    try {
                        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(
                                proxy.uri("/app/openai/v1/models")).header("X-Test-Request", id).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (answer.statusCode() != 200 || answer.body().length != BODY.length) {
                            failures.add(id + ": " + answer.statusCode() + ", " + answer.body().length + " bytes");
                        } else {
                            served.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.add(id + ": " + e);
                    }
                    if (n == 0) {
                        everyClientSent.countDown();
                    }
                }
                return null;
            }));
        }
        assertThat(everyClientSent.await(30, TimeUnit.SECONDS)).isTrue();

        for (int rewrite = 0; rewrite < REWRITES; rewrite++) {
            if (keys.size() > 2 && random.nextBoolean()) {
                keys.remove(random.nextInt(keys.size()));
            }
            if (keys.size() < 8 && random.nextInt(3) > 0) {
                keys.add(random.nextInt(keys.size() + 1), key(fresh.getAndIncrement()));
            }
            Collections.shuffle(keys, random);
            String text = String.join("\n", keys) + "\n";
            if (rewrite % 2 == 0) {
                Files.writeString(file, text);
            } else {
                Path next = Files.writeString(dir.resolve("keys.next"), text);
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> expected = keys.stream().map(KeyFingerprint::of).toList();
            await().atMost(Duration.ofSeconds(2)).until(() -> proxy.route().pool().keys().stream()
                    .map(Key::fingerprint).toList().equals(expected));
        }
        running.set(false);
        for (Future<?> client : done) {
            client.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();

        assertThat(failures).as("requests a key could have served that failed or were cut").isEmpty();
        assertThat(served.get()).isGreaterThan(CLIENTS * 2);
        assertThat(removed).as("keys were removed under load").hasSizeGreaterThan(5);
        List<String> late = new ArrayList<>();
        for (String[] attempt : attempts) {
            Long removedAt = removed.get(attempt[1]);
            Long startedAt = started.get(attempt[0]);
            if (removedAt != null && startedAt != null && startedAt > removedAt) {
                late.add("request " + attempt[0] + " used key " + attempt[1] + " after its removal");
            }
        }
        assertThat(late).isEmpty();
        assertThat(attempts).hasSize(served.get());
    }

    private static String key(int n) {
        return String.format("sk-load-%032d", n);
    }
}
