package dev.keyfailover.cluster;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this deployment one node of a cluster whose nodes share key states (behaviour.md §12).
 * Before the proxy servlets start (listeners always run first), it starts an embedded Hazelcast
 * member that joins the others by a TCP-IP member list ({@code KEYFAILOVER_CLUSTER_MEMBERS}) or by
 * the DNS name of a Kubernetes headless service ({@code KEYFAILOVER_CLUSTER_KUBERNETES_DNS}), or
 * connects as a client to an existing Hazelcast cluster ({@code KEYFAILOVER_HAZELCAST_CLIENT}),
 * and puts its JCache {@link CacheManager} into the context attribute
 * {@code dev.keyfailover.cacheManager}, where the routes find it. It sets the routes' defaults
 * (context params, each unless the deployment set it already): {@code keyfailover.stateStore=jcache},
 * and {@code keyfailover.stateStoreTimeout} / {@code keyfailover.stateStoreName} from
 * {@code KEYFAILOVER_STATE_STORE_TIMEOUT} / {@code KEYFAILOVER_STATE_STORE_NAME} when those are
 * set. It shuts the member or client down when the application stops, after the routes
 * (servlets are destroyed before listeners hear of it).
 *
 * <p>Settings: {@link ClusterSettings}. Each may also be given as a context init param
 * ({@code keyfailover.clusterMembers}, {@code keyfailover.clusterKubernetesDns}, {@code keyfailover.clusterPort},
 * {@code keyfailover.clusterName}, {@code keyfailover.hazelcastClient}), which wins over the
 * environment: several deployments in one JVM (the tests) cannot have environments of their own.
 * A bad setting, a port in use or a cluster that cannot be reached stops the deployment.
 *
 * <p>Registered by {@code META-INF/web-fragment.xml} of this module's jar in {@code WEB-INF/lib}.
 * Its order relative to the example's {@code DemoMode} does not matter: they set different params.
 */
public class HazelcastNode implements ServletContextListener {

    /** The attribute {@code dev.keyfailover.servlet.StateStores} reads. */
    static final String CACHE_MANAGER_ATTRIBUTE = "dev.keyfailover.cacheManager";
    static final String STATE_STORE_PARAM = "keyfailover.stateStore";
    /** How long a client waits for the cluster at start before the deployment fails. */
    static final long CLIENT_CONNECT_TIMEOUT_MILLIS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastNode.class);

    private HazelcastInstance instance;
    private CacheManager cacheManager;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        ClusterSettings settings;
        try {
            settings = ClusterSettings.read(context::getInitParameter, System::getenv);
        } catch (IllegalArgumentException e) {
            throw fail("keyfailover cluster: " + e.getMessage(), null);
        }
        ClassLoader loader = HazelcastNode.class.getClassLoader();
        instance = settings.client() ? startClient(settings, loader) : startMember(settings, loader);
        try {
            CachingProvider provider = Caching.getCachingProvider(settings.client()
                    ? HazelcastCachingProvider.CLIENT_CACHING_PROVIDER : HazelcastCachingProvider.MEMBER_CACHING_PROVIDER,
                    loader);
            // The provider's default URI on every node: Hazelcast prefixes cache names with any other.
            Properties itself = HazelcastCachingProvider.propertiesByInstanceItself(instance);
            cacheManager = provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader(), itself);
        } catch (RuntimeException e) {
            instance.shutdown();
            throw fail("keyfailover cluster: cannot open Hazelcast's JCache manager: " + e, e);
        }
        context.setAttribute(CACHE_MANAGER_ATTRIBUTE, cacheManager);
        routeDefault(context, STATE_STORE_PARAM, "jcache");
        routeDefault(context, "keyfailover.stateStoreTimeout", System.getenv("KEYFAILOVER_STATE_STORE_TIMEOUT"));
        routeDefault(context, "keyfailover.stateStoreName", System.getenv("KEYFAILOVER_STATE_STORE_NAME"));
    }

    /** A context param the routes read as a default, unless the deployment set it already (or no value is given). */
    private static void routeDefault(ServletContext context, String name, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (!context.setInitParameter(name, value.trim())) {
            LOG.info("context param {} is already set to '{}'; left as it is", name, context.getInitParameter(name));
        }
    }

    private static HazelcastInstance startMember(ClusterSettings settings, ClassLoader loader) {
        Config config = MemberConfig.of(settings, loader);
        HazelcastInstance member;
        try {
            member = Hazelcast.newHazelcastInstance(config);
        } catch (RuntimeException e) {
            throw fail("keyfailover cluster: cannot start the Hazelcast member on port " + settings.port() + ": " + e, e);
        }
        LOG.info("Hazelcast member {} of cluster '{}' started; members now: {} (listed: {})",
                member.getCluster().getLocalMember().getAddress(), settings.clusterName(),
                member.getCluster().getMembers().stream().map(m -> m.getAddress().toString())
                        .collect(Collectors.joining(", ")), settings.kubernetesDns().map(dns -> "Kubernetes DNS " + dns)
                        .orElse(String.join(",", settings.members())));
        return member;
    }

    private static HazelcastInstance startClient(ClusterSettings settings, ClassLoader loader) {
        CountDownLatch connected = new CountDownLatch(1);
        ClientConfig config = new ClientConfig();
        config.setClassLoader(loader);
        config.setClusterName(settings.clusterName());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().setAddresses(settings.clientOf());
        config.addListenerConfig(new ListenerConfig((LifecycleListener) event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED) {
                connected.countDown();
            }
        }));
        ClientConnectionStrategyConfig connection = config.getConnectionStrategyConfig();
        // Cut off from the cluster, calls fail at once (the routes then use their own states) while the
        // client reconnects, for as long as it takes (Hazelcast's default: no limit). Only the first
        // connection has a deadline, here below, so that a wrong address stops the deployment.
        connection.setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ASYNC);
        connection.setAsyncStart(true);
        HazelcastInstance client;
        try {
            client = HazelcastClient.newHazelcastClient(config);
        } catch (RuntimeException e) {
            throw fail("keyfailover cluster: cannot start the Hazelcast client: " + e, e);
        }
        boolean in;
        try {
            in = connected.await(CLIENT_CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            in = false;
        }
        if (!in) {
            client.shutdown();
            throw fail("keyfailover cluster: no member of the Hazelcast cluster '" + settings.clusterName() + "' at "
                    + String.join(",", settings.clientOf()) + " let this client in within "
                    + CLIENT_CONNECT_TIMEOUT_MILLIS / 1000 + " s (are the addresses and the cluster name right?)", null);
        }
        LOG.info("Hazelcast client connected to cluster '{}' ({} members)", settings.clusterName(),
                client.getCluster().getMembers().size());
        return client;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (cacheManager != null) {
            try {
                cacheManager.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the JCache manager: {}", e.toString());
            }
        }
        if (instance != null && instance.getLifecycleService().isRunning()) {
            instance.shutdown();
        }
        instance = null;
        cacheManager = null;
    }

    /** Logged here (some containers only say that a listener failed), thrown to stop the deployment. */
    private static IllegalStateException fail(String message, Throwable cause) {
        LOG.error(message);
        return new IllegalStateException(message, cause);
    }
}
