package dev.keyfailover.bench.pool;

import static dev.keyfailover.bench.pool.LocalServers.intOption;
import static dev.keyfailover.bench.pool.LocalServers.port;
import static dev.keyfailover.bench.pool.LocalServers.server;
import static dev.keyfailover.bench.pool.LocalServers.stringOption;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.cache.CacheManager;

import com.hazelcast.core.HazelcastInstance;
import dev.keyfailover.servlet.KeyFailoverServlet;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
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
 *
 * <p>The parts: {@link HazelcastMembers}, {@link FlippingUpstream} on its {@link Flip} schedule, the load of
 * {@link ClosedLoopPhase} and {@link PacedPhase}, each phase's {@link PhaseCounts}.
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

    public static void main(String[] args) throws Exception {
        int requests = intOption(args, "--requests=", 300);
        int cpuRequests = intOption(args, "--cpu-requests=", 300);
        int rounds = intOption(args, "--rounds=", 3);
        long seed = intOption(args, "--seed=", 12);
        String json = stringOption(args, "--json=", null);
        int pacedSeconds = intOption(args, "--paced-seconds=", 20);

        List<HazelcastInstance> members = HazelcastMembers.startCluster(NODES);
        List<CacheManager> managers = members.stream().map(HazelcastMembers::cacheManager).toList();
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
                ClosedLoopPhase.load(client, nodes.get(s), cpuRequests, upstream);
                ClosedLoopPhase.load(client, nodes.get(s), cpuRequests, upstream);
            }
            // Success path: CPU per request, the stores alternating, median of the rounds.
            JsonArrayBuilder cpu = Json.createArrayBuilder();
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < stores.length; s++) {
                    System.gc();
                    PhaseCounts c = ClosedLoopPhase.load(client, nodes.get(s), cpuRequests, upstream);
                    cpu.add(Json.createObjectBuilder().add("store", stores[s]).add("round", round)
                            .add("requests", c.requests()).add("errors", c.errors()).add("cpuNanos", c.cpuNanos())
                            .add("wallNanos", c.wallNanos()).add("upstreamAttempts", c.attempts()));
                    System.out.printf("cpu %s round %d: %.1f us/request%n", stores[s], round,
                            c.cpuNanos() / 1000.0 / c.requests());
                }
            }
            out.add("cpu", cpu);
            // Keys flipping to 429 on the schedule, the same for both stores.
            upstream.latencyMillis = LATENCY_MILLIS;
            JsonArrayBuilder flips = Json.createArrayBuilder();
            for (int s = 0; s < stores.length; s++) {
                Thread.sleep(2500); // every cooldown of the phase before has ended
                upstream.start();
                PhaseCounts c = ClosedLoopPhase.load(client, nodes.get(s), requests, upstream);
                upstream.stop();
                flips.add(Json.createObjectBuilder().add("store", stores[s]).add("requests", c.requests())
                        .add("errors", c.errors()).add("upstreamAttempts", c.attempts()).add("upstream429s", c.tooMany())
                        .add("flips", upstream.flipsSeen(c.wallNanos())).add("wallNanos", c.wallNanos()));
                System.out.printf("429 phase %s: %d requests, %d attempts, %d 429s, %d errors, %.1f s%n", stores[s],
                        c.requests(), c.attempts(), c.tooMany(), c.errors(), c.wallNanos() / 1e9);
            }
            out.add("flipPhase", flips);
            // Paced: less than one request per key per 100 ms on each node; flips for seconds, one key dead for good.
            upstream.schedule = PacedPhase.schedule(seed, 120_000);
            JsonArrayBuilder paced = Json.createArrayBuilder();
            for (int s = 0; s < stores.length; s++) {
                Thread.sleep(3500); // every cooldown of the phase before has ended
                upstream.deadFromMillis = PacedPhase.DEAD_FROM_MILLIS;
                upstream.start();
                PhaseCounts c = PacedPhase.load(client, nodes.get(s), pacedSeconds * 1000L, upstream);
                upstream.stop();
                paced.add(Json.createObjectBuilder().add("store", stores[s]).add("requests", c.requests())
                        .add("errors", c.errors()).add("upstreamAttempts", c.attempts()).add("upstream429s", c.tooMany())
                        .add("upstream401s", c.unauthorized()).add("flips", upstream.flipsSeen(c.wallNanos()))
                        .add("wallNanos", c.wallNanos()));
                System.out.printf("paced phase %s: %d requests, %d attempts, %d 429s, %d 401s, %d errors%n",
                        stores[s], c.requests(), c.attempts(), c.tooMany(), c.unauthorized(), c.errors());
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

    private SharedStateBench() {
    }
}
