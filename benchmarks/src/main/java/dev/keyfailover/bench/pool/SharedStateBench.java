package dev.keyfailover.bench.pool;

import static dev.keyfailover.bench.pool.LocalServers.intOption;
import static dev.keyfailover.bench.pool.LocalServers.port;
import static dev.keyfailover.bench.pool.LocalServers.server;
import static dev.keyfailover.bench.pool.LocalServers.stringOption;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.cache.CacheManager;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.cache.impl.HazelcastServerCachingProvider;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.keyfailover.servlet.KeyFailoverServlet;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * Issue 12's scenario, in one JVM: 3 real Hazelcast 5.7 members on loopback, 3 proxy nodes (KeyFailoverServlet on
 * embedded Jetty, each handed its member's CacheManager) per store, the same 4 keys, one upstream whose keys flip to
 * 429 (with {@code Retry-After}) on a seeded schedule, 16 client threads per node. For {@code stateStore=local} and
 * {@code jcache}: upstream attempts per client request, upstream 429s per 1,000 client requests, client errors; and,
 * with no 429s, process CPU per request (all of this JVM: clients, upstream, proxies, members).
 *
 * <p>Then where sharing should pay (issue 22): each node sends less than one request per key per 100 ms (the
 * propagation bound), {@link PacedPhase#PACED_CLIENTS} paced client threads per node, while keys flip to 429 for seconds and
 * one key turns 401 for good: upstream 429s per flip and 401s, {@code local} against {@code jcache}.
 *
 * <p>Usage: {@code SharedStateBench [--requests=300] [--cpu-requests=300] [--rounds=3] [--seed=12]
 * [--paced-seconds=20] [--json=FILE]} (requests per client thread; prints JSON, or writes it to FILE).
 */
public final class SharedStateBench {

    static final String[] KEYS = {"sk-bench-shared-key-000000001", "sk-bench-shared-key-000000002",
        "sk-bench-shared-key-000000003", "sk-bench-shared-key-000000004"};
    static final int NODES = 3;
    static final int CLIENTS = 16;
    /** The upstream's answer time in the 429 phase, a short stand-in for a model's. */
    static final long LATENCY_MILLIS = 10;
    /** A key flips every this many ms, for 1 or 2 s. */
    static final long FLIP_EVERY_MILLIS = 700;


    record Flip(int key, long fromMillis, long toMillis) {
    }

    public static void main(String[] args) throws Exception {
        int requests = intOption(args, "--requests=", 300);
        int cpuRequests = intOption(args, "--cpu-requests=", 300);
        int rounds = intOption(args, "--rounds=", 3);
        long seed = intOption(args, "--seed=", 12);
        String json = stringOption(args, "--json=", null);
        int pacedSeconds = intOption(args, "--paced-seconds=", 20);

        List<HazelcastInstance> members = startCluster(NODES);
        List<CacheManager> managers = members.stream().map(SharedStateBench::cacheManager).toList();
        FlippingUpstream upstream = new FlippingUpstream(schedule(seed, 120_000));
        Server upstreamServer = server(new ServletHolder(upstream), "/*", Map.of());
        String baseUrl = "http://127.0.0.1:" + port(upstreamServer);
        JsonObjectBuilder out = Json.createObjectBuilder().add("nodes", NODES).add("clients", CLIENTS)
                .add("keys", KEYS.length).add("requestsPerClient", requests).add("cpuRequestsPerClient", cpuRequests)
                .add("rounds", rounds).add("seed", seed).add("latencyMillis", LATENCY_MILLIS)
                .add("flipEveryMillis", FLIP_EVERY_MILLIS).add("pacedClients", PacedPhase.PACED_CLIENTS)
                .add("paceMillis", PacedPhase.PACE_MILLIS).add("pacedSeconds", pacedSeconds)
                .add("pacedFlipEveryMillis", PacedPhase.PACED_FLIP_EVERY_MILLIS).add("deadFromMillis", PacedPhase.DEAD_FROM_MILLIS);
        List<Server> all = new ArrayList<>();
        try {
            String[] stores = {"local", "jcache"};
            List<List<Server>> nodes = new ArrayList<>();
            for (String store : stores) {
                List<Server> set = new ArrayList<>();
                for (int i = 0; i < NODES; i++) {
                    set.add(proxy(baseUrl, store, managers.get(i)));
                }
                nodes.add(set);
                all.addAll(set);
            }
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // Warm-up, unmeasured: both sets, no 429s.
            upstream.latencyMillis = 0;
            for (int s = 0; s < stores.length; s++) {
                load(client, nodes.get(s), cpuRequests, upstream);
                load(client, nodes.get(s), cpuRequests, upstream);
            }
            // Success path: CPU per request, the stores alternating, median of the rounds.
            JsonArrayBuilder cpu = Json.createArrayBuilder();
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < stores.length; s++) {
                    System.gc();
                    Counts c = load(client, nodes.get(s), cpuRequests, upstream);
                    cpu.add(Json.createObjectBuilder().add("store", stores[s]).add("round", round)
                            .add("requests", c.requests).add("errors", c.errors).add("cpuNanos", c.cpuNanos)
                            .add("wallNanos", c.wallNanos).add("upstreamAttempts", c.attempts));
                    System.out.printf("cpu %s round %d: %.1f us/request%n", stores[s], round,
                            c.cpuNanos / 1000.0 / c.requests);
                }
            }
            out.add("cpu", cpu);
            // Keys flipping to 429 on the schedule, the same for both stores.
            upstream.latencyMillis = LATENCY_MILLIS;
            JsonArrayBuilder flips = Json.createArrayBuilder();
            for (int s = 0; s < stores.length; s++) {
                Thread.sleep(2500); // every cooldown of the phase before has ended
                upstream.start();
                Counts c = load(client, nodes.get(s), requests, upstream);
                upstream.stop();
                flips.add(Json.createObjectBuilder().add("store", stores[s]).add("requests", c.requests)
                        .add("errors", c.errors).add("upstreamAttempts", c.attempts).add("upstream429s", c.tooMany)
                        .add("flips", upstream.flipsSeen(c.wallNanos)).add("wallNanos", c.wallNanos));
                System.out.printf("429 phase %s: %d requests, %d attempts, %d 429s, %d errors, %.1f s%n", stores[s],
                        c.requests, c.attempts, c.tooMany, c.errors, c.wallNanos / 1e9);
            }
            out.add("flipPhase", flips);
            // Paced: less than one request per key per 100 ms on each node; flips for seconds, one key dead for good.
            upstream.schedule = PacedPhase.schedule(seed, 120_000);
            JsonArrayBuilder paced = Json.createArrayBuilder();
            for (int s = 0; s < stores.length; s++) {
                Thread.sleep(3500); // every cooldown of the phase before has ended
                upstream.deadFromMillis = PacedPhase.DEAD_FROM_MILLIS;
                upstream.start();
                Counts c = PacedPhase.load(client, nodes.get(s), pacedSeconds * 1000L, upstream);
                upstream.stop();
                paced.add(Json.createObjectBuilder().add("store", stores[s]).add("requests", c.requests)
                        .add("errors", c.errors).add("upstreamAttempts", c.attempts).add("upstream429s", c.tooMany)
                        .add("upstream401s", c.unauthorized).add("flips", upstream.flipsSeen(c.wallNanos))
                        .add("wallNanos", c.wallNanos));
                System.out.printf("paced phase %s: %d requests, %d attempts, %d 429s, %d 401s, %d errors%n",
                        stores[s], c.requests, c.attempts, c.tooMany, c.unauthorized, c.errors);
            }
            out.add("pacedPhase", paced);
        } finally {
            for (Server server : all) {
                server.stop();
            }
            upstreamServer.stop();
            members.forEach(HazelcastInstance::shutdown);
        }
        String text = out.build().toString();
        if (json == null) {
            System.out.println(text);
        } else {
            Files.writeString(Path.of(json), text);
            System.out.println("wrote " + json);
        }
        System.exit(0);
    }

    record Counts(int requests, int errors, long attempts, long tooMany, long unauthorized, long cpuNanos,
            long wallNanos) {
    }

    /** {@code perClient} requests from each of 16 threads per node, all nodes at once. */
    static Counts load(HttpClient client, List<Server> nodes, int perClient, FlippingUpstream upstream)
            throws Exception {
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long attempts0 = upstream.attempts.get();
        long tooMany0 = upstream.tooMany.get();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> threads = new ArrayList<>();
        for (Server node : nodes) {
            URI uri = URI.create("http://127.0.0.1:" + port(node) + "/openai/v1/chat/completions");
            for (int t = 0; t < CLIENTS; t++) {
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
        return new Counts(done.get(), errors.get(), upstream.attempts.get() - attempts0,
                upstream.tooMany.get() - tooMany0, 0, cpu, wall);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Every {@link #FLIP_EVERY_MILLIS} one key, drawn with the seed, answers 429 for 1 or 2 s. */
    static List<Flip> schedule(long seed, long spanMillis) {
        Random random = new Random(seed);
        List<Flip> flips = new ArrayList<>();
        for (long at = 200; at < spanMillis; at += FLIP_EVERY_MILLIS) {
            long length = 1000L * (1 + random.nextInt(2));
            flips.add(new Flip(random.nextInt(KEYS.length), at, at + length));
        }
        return flips;
    }

    /**
     * 200 with a small completion, 429 with {@code Retry-After} while the schedule says the key is limited, or 401 for
     * the dead key once its time has come.
     */
    static final class FlippingUpstream extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final AtomicLong attempts = new AtomicLong();
        final AtomicLong tooMany = new AtomicLong();
        final AtomicLong unauthorized = new AtomicLong();
        volatile transient List<Flip> schedule;
        /** From this many ms after {@link #start()} on, {@link PacedPhase#DEAD_KEY} answers 401; negative: never. */
        volatile long deadFromMillis = -1;
        private volatile long startMillis;
        volatile long latencyMillis;

        FlippingUpstream(List<Flip> schedule) {
            this.schedule = schedule;
        }

        void start() {
            startMillis = System.currentTimeMillis();
        }

        void stop() {
            startMillis = 0;
        }

        int flipsSeen(long wallNanos) {
            long span = wallNanos / 1_000_000;
            return (int) schedule.stream().filter(f -> f.fromMillis() < span).count();
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            attempts.incrementAndGet();
            request.getInputStream().readAllBytes();
            String auth = String.valueOf(request.getHeader("Authorization"));
            long start = startMillis;
            long limitedUntil = 0;
            boolean dead = false;
            if (start != 0) {
                long now = System.currentTimeMillis() - start;
                int key = -1;
                for (int i = 0; i < KEYS.length; i++) {
                    if (auth.endsWith(KEYS[i])) {
                        key = i;
                    }
                }
                dead = key == PacedPhase.DEAD_KEY && deadFromMillis >= 0 && now >= deadFromMillis;
                for (Flip flip : schedule) {
                    if (flip.fromMillis() > now) {
                        break;
                    }
                    if (flip.key() == key && now < flip.toMillis()) {
                        limitedUntil = Math.max(limitedUntil, flip.toMillis() - now);
                    }
                }
            }
            long latency = latencyMillis;
            if (latency > 0) {
                try {
                    Thread.sleep(latency);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            response.setContentType("application/json");
            if (dead) {
                unauthorized.incrementAndGet();
                response.setStatus(401);
                response.getWriter().write("{\"error\":{\"message\":\"Incorrect API key provided\","
                        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
                return;
            }
            if (limitedUntil > 0) {
                tooMany.incrementAndGet();
                response.setStatus(429);
                response.setHeader("Retry-After", Long.toString((limitedUntil + 999) / 1000));
                response.getWriter().write("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                        + "\"code\":\"rate_limit_exceeded\"}}");
                return;
            }
            response.getWriter().write("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"choices\":[]}");
        }
    }

    static Server proxy(String baseUrl, String store, CacheManager manager) throws Exception {
        ServletHolder proxy = new ServletHolder("openai", KeyFailoverServlet.class);
        proxy.setInitParameter("provider", "openai");
        proxy.setInitParameter("baseUrl", baseUrl);
        proxy.setInitParameter("keys", String.join(",", KEYS));
        proxy.setInitParameter("stateStore", store);
        proxy.setInitOrder(1);
        return server(proxy, "/openai/*",
                manager == null ? Map.of() : Map.of("dev.keyfailover.cacheManager", manager));
    }

    static List<HazelcastInstance> startCluster(int size) throws Exception {
        String cluster = "keyfailover-bench-" + UUID.randomUUID();
        int[] ports = new int[size];
        for (int i = 0; i < size; i++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                ports[i] = socket.getLocalPort();
            }
        }
        List<String> list = Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).toList();
        List<CompletableFuture<HazelcastInstance>> starting = new ArrayList<>();
        for (int port : ports) {
            starting.add(CompletableFuture.supplyAsync(() -> member(cluster, port, list)));
        }
        List<HazelcastInstance> started = starting.stream().map(CompletableFuture::join).toList();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!started.stream().allMatch(m -> m.getCluster().getMembers().size() == size)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the Hazelcast members did not join");
            }
            Thread.sleep(100);
        }
        return started;
    }

    private static HazelcastInstance member(String cluster, int port, List<String> members) {
        Config config = new Config();
        config.setClusterName(cluster);
        config.setInstanceName(cluster + "-" + port);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        return Hazelcast.newHazelcastInstance(config);
    }

    /** A provider per member with the default URI: JCache shares one manager per URI and class loader in a JVM. */
    static CacheManager cacheManager(HazelcastInstance member) {
        HazelcastServerCachingProvider provider = new HazelcastServerCachingProvider(member);
        return provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader(),
                HazelcastCachingProvider.propertiesByInstanceItself(member));
    }

    private SharedStateBench() {
    }
}
