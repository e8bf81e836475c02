package dev.keyfailover.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    private static ClusterSettings read(Map<String, String> initParams, Map<String, String> environment) {
        return ClusterSettings.read(initParams::get, environment::get);
    }

    @Test
    void aMemberListFromTheEnvironmentWithTheDefaults() {
        ClusterSettings settings = read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_MEMBERS",
                " 10.0.0.1:5701, node-2.example:5702 ,[fd00::3]:5703"));

        assertThat(settings.client()).isFalse();
        assertThat(settings.members()).containsExactly("10.0.0.1:5701", "node-2.example:5702", "[fd00::3]:5703");
        assertThat(settings.port()).isEqualTo(5701);
        assertThat(settings.clusterName()).isEqualTo("keyfailover");
    }

    @Test
    void contextParamsWinOverTheEnvironmentAndBlankCountsAsUnset() {
        ClusterSettings settings = read(
                Map.of("keyfailover.clusterMembers", "127.0.0.1:6001,127.0.0.1:6002", "keyfailover.clusterPort", "6002",
                        "keyfailover.clusterName", " "),
                Map.of("KEYFAILOVER_CLUSTER_MEMBERS", "10.0.0.1:5701", "KEYFAILOVER_CLUSTER_PORT", "5701",
                        "KEYFAILOVER_CLUSTER_NAME", "prod"));

        assertThat(settings.members()).containsExactly("127.0.0.1:6001", "127.0.0.1:6002");
        assertThat(settings.port()).isEqualTo(6002);
        assertThat(settings.clusterName()).isEqualTo("prod");
    }

    @Test
    void clientMode() {
        ClusterSettings settings = read(Map.of(), Map.of("KEYFAILOVER_HAZELCAST_CLIENT", "hz-1:5701,hz-2:5701",
                "KEYFAILOVER_CLUSTER_MEMBERS", ""));

        assertThat(settings.client()).isTrue();
        assertThat(settings.clientOf()).containsExactly("hz-1:5701", "hz-2:5701");
        assertThat(settings.members()).isEmpty();
    }

    @Test
    void badSettingsAreNamedWithWhereTheyCameFrom() {
        assertThatThrownBy(() -> read(Map.of(), Map.of()))
                .hasMessageStartingWith("neither KEYFAILOVER_CLUSTER_MEMBERS, KEYFAILOVER_CLUSTER_KUBERNETES_DNS nor "
                        + "KEYFAILOVER_HAZELCAST_CLIENT is set");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2")))
                .hasMessage("KEYFAILOVER_CLUSTER_MEMBERS: '10.0.0.2' is not host:port (e.g. 10.0.0.1:5701)");
        assertThatThrownBy(() -> read(Map.of("keyfailover.clusterMembers", "a:1,,b:2"), Map.of()))
                .hasMessage("context param keyfailover.clusterMembers 'a:1,,b:2': entry 2 is empty");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_MEMBERS", "host:57o1")))
                .hasMessage("KEYFAILOVER_CLUSTER_MEMBERS: 'host:57o1': the port '57o1' is not a number");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_MEMBERS", "host:70000")))
                .hasMessage("KEYFAILOVER_CLUSTER_MEMBERS: 'host:70000': the port 70000 is not between 1 and 65535");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_MEMBERS", "fd00::1:5701")))
                .hasMessageContaining("an IPv6 address goes in brackets");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_MEMBERS", "http://h:5701")))
                .hasMessageContaining("is not host:port");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_MEMBERS", "h:5701",
                "KEYFAILOVER_CLUSTER_PORT", "0")))
                .hasMessage("KEYFAILOVER_CLUSTER_PORT: the port 0 is not between 1 and 65535");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_MEMBERS", "h:5701",
                "KEYFAILOVER_CLUSTER_NAME", "my cluster")))
                .hasMessageContaining("KEYFAILOVER_CLUSTER_NAME 'my cluster' may hold only");
        assertThatThrownBy(() -> read(Map.of("keyfailover.hazelcastClient", "h:5701"),
                Map.of("KEYFAILOVER_CLUSTER_MEMBERS", "h:5701")))
                .hasMessageStartingWith("KEYFAILOVER_CLUSTER_MEMBERS and context param keyfailover.hazelcastClient "
                        + "are both set");
    }

    @Test
    void aKubernetesDnsNameMakesAMemberThatFindsTheOthersByDnsLookup() {
        ClusterSettings settings = read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_KUBERNETES_DNS",
                " Keyfailover-HZ.default.svc.cluster.local ", "KEYFAILOVER_CLUSTER_MEMBERS", "",
                "KEYFAILOVER_CLUSTER_PORT", "5702"));

        com.hazelcast.config.JoinConfig join = MemberConfig.of(settings, getClass().getClassLoader())
                .getNetworkConfig().getJoin();

        assertThat(settings.client()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-dns"))
                .isEqualTo("keyfailover-hz.default.svc.cluster.local");
        assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5702");
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    }

    @Test
    void aMemberListKeepsTcpIpAndNoKubernetesDiscovery() {
        com.hazelcast.config.JoinConfig join = MemberConfig.of(read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_MEMBERS",
                "10.0.0.1:5701,10.0.0.2:5701")), getClass().getClassLoader()).getNetworkConfig().getJoin();

        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    }

    @Test
    void aBadKubernetesDnsNameIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_KUBERNETES_DNS", "keyfailover-hz:5701")))
                .hasMessageStartingWith("KEYFAILOVER_CLUSTER_KUBERNETES_DNS 'keyfailover-hz:5701' is not a DNS name");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_KUBERNETES_DNS", "-bad-.svc")))
                .hasMessageContaining("is not a DNS name");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_KUBERNETES_DNS", "a..b")))
                .hasMessageContaining("is not a DNS name");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_KUBERNETES_DNS", "10.0.0.1")))
                .hasMessageStartingWith("KEYFAILOVER_CLUSTER_KUBERNETES_DNS '10.0.0.1' is an address");
        assertThatThrownBy(() -> read(Map.of("keyfailover.clusterKubernetesDns", "hz_members.svc"), Map.of()))
                .hasMessageStartingWith("context param keyfailover.clusterKubernetesDns 'hz_members.svc' is not a DNS name");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_KUBERNETES_DNS", "hz.default.svc",
                "KEYFAILOVER_CLUSTER_MEMBERS", "10.0.0.1:5701")))
                .hasMessageStartingWith("KEYFAILOVER_CLUSTER_MEMBERS and KEYFAILOVER_CLUSTER_KUBERNETES_DNS are both set");
        assertThatThrownBy(() -> read(Map.of(), Map.of("KEYFAILOVER_CLUSTER_KUBERNETES_DNS", "hz.default.svc",
                "KEYFAILOVER_HAZELCAST_CLIENT", "10.0.0.1:5701")))
                .hasMessageStartingWith("KEYFAILOVER_CLUSTER_KUBERNETES_DNS and KEYFAILOVER_HAZELCAST_CLIENT are both set");
    }
}
