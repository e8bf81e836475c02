package dev.keyfailover.bench.pool;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.cache.CacheManager;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.cache.impl.HazelcastServerCachingProvider;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * Real Hazelcast members in this JVM, joined over TCP-IP on loopback (no multicast, no discovery: nothing leaves the
 * machine), and a JCache {@link CacheManager} on each for {@code stateStore=jcache}.
 */
final class HazelcastMembers {

    private HazelcastMembers() {
    }

    /** {@code size} members of a cluster of their own (a random name), once all of them see each other. */
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
}
