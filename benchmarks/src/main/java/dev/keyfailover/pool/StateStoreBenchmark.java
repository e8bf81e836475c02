package dev.keyfailover.pool;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.cache.CacheManager;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.cache.impl.HazelcastServerCachingProvider;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.RateLimits;
import dev.keyfailover.settings.PoolSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pool's share of a successful request (walk, record, rate-limit observation) with key states
 * in this node's memory or in a JCache shared through a real Hazelcast member (behaviour.md §12):
 * the success path reads the local view only, so the two should cost the same. Run:
 * {@code benchmarks/run-jmh.sh StateStore}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StateStoreBenchmark {

    @Param({"local", "jcache"})
    public String store;

    private HazelcastInstance member;
    private KeyPool pool;

    @Setup(Level.Trial)
    public void pool() {
        KeyStateStore states = LocalKeyStateStore.INSTANCE;
        if (store.equals("jcache")) {
            Config config = new Config();
            config.setClusterName("keyfailover-bench-" + System.nanoTime());
            config.setProperty("hazelcast.phone.home.enabled", "false");
            config.setProperty("hazelcast.logging.type", "none");
            config.getNetworkConfig().setPort(0).getJoin().getMulticastConfig().setEnabled(false);
            config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
            member = Hazelcast.newHazelcastInstance(config);
            HazelcastServerCachingProvider provider = new HazelcastServerCachingProvider(member);
            CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader(),
                    HazelcastCachingProvider.propertiesByInstanceItself(member));
            states = JCacheKeyStateStore.open(manager, "keyfailover-state", Duration.ofMillis(50));
        }
        pool = new KeyPool("openai", List.of("sk-bench-store-key-00000000001", "sk-bench-store-key-00000000002"),
                Clock.systemUTC(), PoolSettings.defaults(), Sleeper.THREAD, states);
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.store().close();
        if (member != null) {
            member.shutdown();
        }
    }

    @Benchmark
    public boolean successfulRequest() {
        try (KeyWalk walk = pool.walk("gpt-4o")) {
            Key key = walk.next();
            boolean transition = walk.record(key, 200, KeyVerdict.ACCEPT);
            return walk.observe(key, RateLimits.NONE) || transition;
        }
    }
}
