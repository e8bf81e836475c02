package dev.keyfailover.testing;

import java.util.List;
import java.util.UUID;

import javax.cache.CacheManager;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.cache.impl.HazelcastServerCachingProvider;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * A real Hazelcast member on 127.0.0.1, joined to the others of its test by a TCP-IP member list
 * (multicast off), and the JCache manager on it that a proxy node is handed.
 */
public final class ClusterMember implements AutoCloseable {

    private final HazelcastInstance instance;
    private final CacheManager cacheManager;

    private ClusterMember(HazelcastInstance instance, CacheManager cacheManager) {
        this.instance = instance;
        this.cacheManager = cacheManager;
    }

    /** Starts a cluster of {@code size} members on free ports; returns once they all see each other. */
    public static List<ClusterMember> startCluster(int size) throws Exception {
        Plan plan = plan(size);
        List<java.util.concurrent.CompletableFuture<ClusterMember>> starting = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            int member = i;
            starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> plan.start(member)));
        }
        List<ClusterMember> started = starting.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> started.stream().allMatch(member -> member.instance.getCluster().getMembers().size() == size));
        return started;
    }

    /**
     * Free ports for a cluster of {@code size} members, started later one at a time by
     * {@link Plan#start(int)}: a member then joins the ones already up, as an operator starts nodes.
     */
    public static Plan plan(int size) throws java.io.IOException {
        int[] ports = new int[size];
        for (int i = 0; i < size; i++) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                ports[i] = socket.getLocalPort();
            }
        }
        return new Plan("keyfailover-test-" + UUID.randomUUID(), java.util.Arrays.stream(ports).boxed().toList());
    }

    /** A cluster's name and its members' ports. */
    public record Plan(String cluster, List<Integer> ports) {

        /** Starts member {@code index}; it joins the members of the plan that are up (none: it starts the cluster). */
        public ClusterMember start(int index) {
            return ClusterMember.start(cluster, ports.get(index),
                    ports.stream().map(port -> "127.0.0.1:" + port).toList());
        }
    }

    private static ClusterMember start(String cluster, int port, List<String> members) {
        Config config = new Config();
        config.setClusterName(cluster);
        config.setInstanceName(cluster + "-" + port);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        // A member that dies is noticed in seconds, not the default minute.
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "4");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        HazelcastInstance instance = Hazelcast.newHazelcastInstance(config);
        // A provider of its own per member: JCache shares one manager per URI and class loader in a JVM,
        // and Hazelcast names caches apart by URI, so three members in one JVM need the default URI each.
        HazelcastServerCachingProvider provider = new HazelcastServerCachingProvider(instance);
        CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader(),
                HazelcastCachingProvider.propertiesByInstanceItself(instance));
        return new ClusterMember(instance, manager);
    }

    /** What a proxy node is given: the servlet-context attribute {@code dev.keyfailover.cacheManager}. */
    public CacheManager cacheManager() {
        return cacheManager;
    }

    public HazelcastInstance instance() {
        return instance;
    }

    /** Kills the member at once, as a crashed node would go. */
    public void kill() {
        instance.getLifecycleService().terminate();
    }

    @Override
    public void close() {
        if (instance.getLifecycleService().isRunning()) {
            instance.shutdown();
        }
    }
}
