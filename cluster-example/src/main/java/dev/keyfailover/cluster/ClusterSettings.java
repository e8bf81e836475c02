package dev.keyfailover.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * How this node joins the key-state cluster, read from context init params
 * ({@code keyfailover.clusterMembers}, ...) or else from the environment
 * ({@code KEYFAILOVER_CLUSTER_MEMBERS}, ...). A blank value counts as unset. Exactly one of
 * {@code clusterMembers} (start an embedded member that joins a member list),
 * {@code clusterKubernetesDns} (start an embedded member that finds the others by the DNS name of a
 * Kubernetes headless service) and {@code hazelcastClient} (connect to an existing cluster as a
 * client) must be given.
 *
 * @param members      the members' {@code host:port} addresses (embedded member), or empty
 * @param kubernetesDns the headless service's DNS name (embedded member, Kubernetes), or empty
 * @param port         this member's own port (embedded member)
 * @param clusterName  the Hazelcast cluster name; members and clients of another name are not let in
 * @param clientOf     the addresses of an existing cluster's members (client mode), or empty
 */
public record ClusterSettings(List<String> members, Optional<String> kubernetesDns, int port, String clusterName,
                              List<String> clientOf) {

    public static final int DEFAULT_PORT = 5701;
    public static final String DEFAULT_CLUSTER_NAME = "keyfailover";

    /** One setting: a context init param, else an environment variable. */
    enum Setting {
        MEMBERS("keyfailover.clusterMembers", "KEYFAILOVER_CLUSTER_MEMBERS"),
        KUBERNETES_DNS("keyfailover.clusterKubernetesDns", "KEYFAILOVER_CLUSTER_KUBERNETES_DNS"),
        PORT("keyfailover.clusterPort", "KEYFAILOVER_CLUSTER_PORT"),
        NAME("keyfailover.clusterName", "KEYFAILOVER_CLUSTER_NAME"),
        CLIENT("keyfailover.hazelcastClient", "KEYFAILOVER_HAZELCAST_CLIENT");

        final String initParam;
        final String variable;

        Setting(String initParam, String variable) {
            this.initParam = initParam;
            this.variable = variable;
        }
    }

    public ClusterSettings {
        members = List.copyOf(members);
        clientOf = List.copyOf(clientOf);
    }

    public boolean client() {
        return !clientOf.isEmpty();
    }

    /**
     * Reads the settings.
     *
     * @param initParams  the servlet context's init params ({@code ServletContext::getInitParameter})
     * @param environment the environment ({@code System::getenv})
     * @throws IllegalArgumentException naming the setting, where it came from and what is wrong
     */
    public static ClusterSettings read(UnaryOperator<String> initParams, UnaryOperator<String> environment) {
        Source source = new Source(initParams, environment);
        String members = source.value(Setting.MEMBERS);
        String dns = source.value(Setting.KUBERNETES_DNS);
        String client = source.value(Setting.CLIENT);
        if (members == null && dns == null && client == null) {
            throw new IllegalArgumentException("neither " + Setting.MEMBERS.variable + ", "
                    + Setting.KUBERNETES_DNS.variable + " nor " + Setting.CLIENT.variable + " is set (nor the context "
                    + "params " + Setting.MEMBERS.initParam + ", " + Setting.KUBERNETES_DNS.initParam + ", "
                    + Setting.CLIENT.initParam + "): give the members' host:port list, e.g. "
                    + Setting.MEMBERS.variable + "=10.0.0.1:5701,10.0.0.2:5701,10.0.0.3:5701, the DNS name of a "
                    + "Kubernetes headless service, e.g. " + Setting.KUBERNETES_DNS.variable
                    + "=keyfailover-hz.default.svc.cluster.local, or an existing "
                    + "Hazelcast cluster to join as a client; a single node without a cluster is example-webapp's WAR");
        }
        List<Setting> given = new ArrayList<>();
        for (Setting setting : List.of(Setting.MEMBERS, Setting.KUBERNETES_DNS, Setting.CLIENT)) {
            if (source.value(setting) != null) {
                given.add(setting);
            }
        }
        if (given.size() > 1) {
            throw new IllegalArgumentException(source.where(given.get(0)) + " and " + source.where(given.get(1))
                    + " are both set: a node either starts a member of its own, which finds the others by a member "
                    + "list or by Kubernetes DNS, or is a client of an existing cluster; set one of them");
        }
        String name = source.value(Setting.NAME);
        if (name != null && !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(source.where(Setting.NAME) + " '" + name
                    + "' may hold only letters, digits, '.', '_' and '-'");
        }
        String port = source.value(Setting.PORT);
        return new ClusterSettings(
                members == null ? List.of() : addresses(source.where(Setting.MEMBERS), members),
                dns == null ? Optional.empty() : Optional.of(dnsName(source.where(Setting.KUBERNETES_DNS), dns)),
                port == null ? DEFAULT_PORT : port(source.where(Setting.PORT), port),
                name == null ? DEFAULT_CLUSTER_NAME : name,
                client == null ? List.of() : addresses(source.where(Setting.CLIENT), client));
    }

    /**
     * A DNS name as Kubernetes gives a service (RFC 1123 labels: letters, digits and '-', dot-separated),
     * lower-cased; not an address, no port (the members' port is {@code clusterPort}).
     */
    static String dnsName(String where, String value) {
        String name = value.toLowerCase(Locale.ROOT);
        String label = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
        if (name.length() > 253 || !name.matches(label + "(\\." + label + ")*\\.?")) {
            throw new IllegalArgumentException(where + " '" + value + "' is not a DNS name (the headless service's, "
                    + "e.g. keyfailover-hz.default.svc.cluster.local; the port is " + Setting.PORT.variable + ")");
        }
        if (name.matches("[0-9.]+")) {
            throw new IllegalArgumentException(where + " '" + value + "' is an address, not a DNS name (e.g. "
                    + "keyfailover-hz.default.svc.cluster.local; a list of addresses is " + Setting.MEMBERS.variable + ")");
        }
        return name;
    }

    /** A comma-separated list of {@code host:port} ({@code [v6-address]:port} for IPv6), each checked. */
    static List<String> addresses(String where, String list) {
        List<String> addresses = new ArrayList<>();
        String[] entries = list.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException(where + " '" + list + "': entry " + (i + 1) + " is empty");
            }
            addresses.add(address(where, entry));
        }
        return addresses;
    }

    private static String address(String where, String entry) {
        String bad = where + ": '" + entry + "' is not host:port";
        int colon = entry.lastIndexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw new IllegalArgumentException(bad + " (e.g. 10.0.0.1:5701)");
        }
        String host = entry.substring(0, colon);
        if (host.startsWith("[") != host.endsWith("]") || (!host.startsWith("[") && host.contains(":"))) {
            throw new IllegalArgumentException(bad + " (an IPv6 address goes in brackets: [fd00::1]:5701)");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (bare.isEmpty() || !bare.toLowerCase(Locale.ROOT).matches("[a-z0-9._:%-]+")) {
            throw new IllegalArgumentException(bad + " (the host '" + host + "' is not a host name or address)");
        }
        port(where + ": '" + entry + "'", entry.substring(colon + 1));
        return entry;
    }

    private static int port(String where, String value) {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": the port '" + value + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(where + ": the port " + port + " is not between 1 and 65535");
        }
        return port;
    }

    private record Source(UnaryOperator<String> initParams, UnaryOperator<String> environment) {

        String value(Setting setting) {
            String value = nonBlank(initParams.apply(setting.initParam));
            return value != null ? value : nonBlank(environment.apply(setting.variable));
        }

        /** Where the value came from, for messages. */
        String where(Setting setting) {
            return nonBlank(initParams.apply(setting.initParam)) != null
                    ? "context param " + setting.initParam : setting.variable;
        }

        private static String nonBlank(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
