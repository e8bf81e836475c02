package dev.keyfailover.bench.pool;

import static dev.keyfailover.bench.pool.LocalServers.port;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.Server;

/**
 * {@link SharedStateBench}'s paced phase (issue 22), where sharing should pay: each node sends less than one request per
 * key per 100 ms, keys flip to 429 for seconds and one key turns 401 for good.
 */
final class PacedPhase {

    /**
     * The paced phase: client threads per node, each sending one request every {@link #PACE_MILLIS}. A node walks its
     * keys in order (the default {@code keyOrder=priority}), so the key in use gets all its requests: one every 150 ms,
     * under one per 100 ms, the propagation bound.
     */
    static final int PACED_CLIENTS = 1;
    static final long PACE_MILLIS = 150;
    /**
     * The paced phase: this key answers 401 from {@link #DEAD_FROM_MILLIS} on, for good: the first, the one every node
     * walks to first, so each node meets it.
     */
    static final int DEAD_KEY = 0;
    static final long DEAD_FROM_MILLIS = 1000;
    /** The paced phase: every this many ms one of the other keys answers 429 for 2 or 3 s. */
    static final long PACED_FLIP_EVERY_MILLIS = 1500;

    /** {@link #PACED_CLIENTS} threads per node, all nodes at once, each sending one request every {@link #PACE_MILLIS}. */
    static PhaseCounts load(HttpClient client, List<Server> nodes, long spanMillis, FlippingUpstream upstream)
            throws Exception {
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long attempts0 = upstream.attempts.get();
        long tooMany0 = upstream.tooMany.get();
        long unauthorized0 = upstream.unauthorized.get();
        long wall0 = System.nanoTime();
        List<CompletableFuture<Void>> threads = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
        int n = 0;
        for (Server node : nodes) {
            URI uri = URI.create("http://127.0.0.1:" + port(node) + "/openai/v1/chat/completions");
            for (int t = 0; t < PACED_CLIENTS; t++) {
                // The threads' ticks spread over the pace, so the nodes' requests interleave.
                long offsetNanos = TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS) * n++ / (nodes.size() * PACED_CLIENTS);
                threads.add(CompletableFuture.runAsync(() -> {
                    for (long tick = 0; ; tick++) {
                        long at = wall0 + offsetNanos + tick * TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS);
                        if (at - wall0 > TimeUnit.MILLISECONDS.toNanos(spanMillis)) {
                            return;
                        }
                        long wait = at - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        if (!send(client, uri)) {
                            errors.incrementAndGet();
                        }
                        done.incrementAndGet();
                    }
                }, pool));
            }
        }
        CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        pool.shutdown();
        return new PhaseCounts(done.get(), errors.get(), upstream.attempts.get() - attempts0,
                upstream.tooMany.get() - tooMany0, upstream.unauthorized.get() - unauthorized0, 0,
                System.nanoTime() - wall0);
    }

    /** One chat request; whether the client got a 200. */
    private static boolean send(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The paced phase's flips: every {@link #PACED_FLIP_EVERY_MILLIS} a key other than the dead one, for 2 or 3 s. */
    static List<Flip> schedule(long seed, long spanMillis) {
        Random random = new Random(seed);
        List<Flip> flips = new ArrayList<>();
        for (long at = 500; at < spanMillis; at += PACED_FLIP_EVERY_MILLIS) {
            long length = 1000L * (2 + random.nextInt(2));
            int key = random.nextInt(SharedStateBench.KEYS.length - 1);
            flips.add(new Flip(key >= DEAD_KEY ? key + 1 : key, at, at + length)); // never the dead key
        }
        return flips;
    }

    private PacedPhase() {
    }
}
