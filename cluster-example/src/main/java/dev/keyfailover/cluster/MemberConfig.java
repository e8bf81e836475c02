package dev.keyfailover.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;

/**
 * The Hazelcast configuration of this node's embedded member: how it finds the others is a TCP-IP
 * member list ({@code KEYFAILOVER_CLUSTER_MEMBERS}) or, on Kubernetes, the DNS name of a headless
 * service ({@code KEYFAILOVER_CLUSTER_KUBERNETES_DNS}): Hazelcast's Kubernetes discovery (in the
 * main jar since 5.0) in DNS lookup mode, which needs no access to the Kubernetes API. Multicast and
 * auto-detection stay off either way, so a member never joins a cluster it was not told of.
 */
final class MemberConfig {

    private MemberConfig() {
    }

    static Config of(ClusterSettings settings, ClassLoader loader) {
        Config config = new Config();
        config.setClassLoader(loader);
        config.setClusterName(settings.clusterName());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        // Stopped by a signal before the container calls contextDestroyed, a member hands its partitions over first.
        config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        // Members that started apart (e.g. at the same moment) merge after 30 s, not Hazelcast's 5 minutes.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "30");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "30");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (settings.kubernetesDns().isPresent()) {
            join.getTcpIpConfig().setEnabled(false);
            // Every address the name resolves to is a member on the same port as this one.
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", settings.kubernetesDns().get())
                    .setProperty("service-port", String.valueOf(settings.port()));
        } else {
            join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        }
        return config;
    }
}
