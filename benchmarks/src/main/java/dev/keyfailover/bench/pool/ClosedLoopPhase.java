package dev.keyfailover.bench.pool;

import static dev.keyfailover.bench.pool.LocalServers.port;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.Server;

/**
 * {@link SharedStateBench}'s closed-loop load (its warm-up, CPU and 429 phases): {@link SharedStateBench#CLIENTS}
 * threads per node sending back to back, all nodes at once.
 */
final class ClosedLoopPhase {

    private ClosedLoopPhase() {
    }

    /** {@code perClient} requests from each of 16 threads per node, all nodes at once. */
    static PhaseCounts load(HttpClient client, List<Server> nodes, int perClient, FlippingUpstream upstream)
            throws Exception {
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long attempts0 = upstream.attempts.get();
        long tooMany0 = upstream.tooMany.get();
        // Every thread is started before the clock: the measured span holds requests only, no thread start.
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> threads = new ArrayList<>();
        for (Server node : nodes) {
            URI uri = URI.create("http://127.0.0.1:" + port(node) + "/openai/v1/chat/completions");
            for (int t = 0; t < SharedStateBench.CLIENTS; t++) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perClient; i++) {
                            try {
                                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                                if (r.statusCode() != 200) {
                                    errors.incrementAndGet();
                                }
                            } catch (IOException e) {
                                errors.incrementAndGet();
                            }
                            done.incrementAndGet();
                        }
                        f.complete(null);
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                });
                thread.start();
                threads.add(f);
            }
        }
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        start.countDown();
        CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        long wall = System.nanoTime() - wall0;
        long cpu = processCpuNanos() - cpu0;
        return new PhaseCounts(done.get(), errors.get(), upstream.attempts.get() - attempts0,
                upstream.tooMany.get() - tooMany0, 0, cpu, wall);
    }

    /** CPU time of this whole JVM: clients, upstream, proxies and Hazelcast members alike. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
