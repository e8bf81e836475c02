package dev.keyfailover.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * How this node joins the key-state cluster, read from context init params
 * ({@code keyfailover.clusterMembers}, ...) or else from the environment
 * ({@code KEYFAILOVER_CLUSTER_MEMBERS}, ...). A blank value counts as unset. Exactly one of
 * {@code clusterMembers} (start an embedded member) and {@code hazelcastClient} (connect to an
 * existing cluster as a client) must be given.
 *
 * @param members      the members' {@code host:port} addresses (embedded member), or empty
 * @param port         this member's own port (embedded member)
 * @param clusterName  the Hazelcast cluster name; members and clients of another name are not let in
 * @param clientOf     the addresses of an existing cluster's members (client mode), or empty
 */
public record ClusterSettings(List<String> members, int port, String clusterName, List<String> clientOf) {

    public static final int DEFAULT_PORT = 5701;
    public static final String DEFAULT_CLUSTER_NAME = "keyfailover";

    /** One setting: a context init param, else an environment variable. */
    enum Setting {
        MEMBERS("keyfailover.clusterMembers", "KEYFAILOVER_CLUSTER_MEMBERS"),
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
        String client = source.value(Setting.CLIENT);
        if (members == null && client == null) {
            throw new IllegalArgumentException("neither " + Setting.MEMBERS.variable + " nor "
                    + Setting.CLIENT.variable + " is set (nor the context params " + Setting.MEMBERS.initParam + ", "
                    + Setting.CLIENT.initParam + "): give the members' host:port list, e.g. "
                    + Setting.MEMBERS.variable + "=10.0.0.1:5701,10.0.0.2:5701,10.0.0.3:5701, or an existing "
                    + "Hazelcast cluster to join as a client; a single node without a cluster is example-webapp's WAR");
        }
        if (members != null && client != null) {
            throw new IllegalArgumentException(source.where(Setting.MEMBERS) + " and " + source.where(Setting.CLIENT)
                    + " are both set: a node either starts a member of its own or is a client of an existing "
                    + "cluster; set one of them");
        }
        String name = source.value(Setting.NAME);
        if (name != null && !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(source.where(Setting.NAME) + " '" + name
                    + "' may hold only letters, digits, '.', '_' and '-'");
        }
        String port = source.value(Setting.PORT);
        return new ClusterSettings(
                members == null ? List.of() : addresses(source.where(Setting.MEMBERS), members),
                port == null ? DEFAULT_PORT : port(source.where(Setting.PORT), port),
                name == null ? DEFAULT_CLUSTER_NAME : name,
                client == null ? List.of() : addresses(source.where(Setting.CLIENT), client));
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
