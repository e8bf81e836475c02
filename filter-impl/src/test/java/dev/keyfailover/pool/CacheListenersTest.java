package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;

import dev.keyfailover.testing.ClusterMember;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §12, the cache's listener: a member that joins after the first node opened the
 * state cache hears each of its events once, and no member logs that the listener was registered
 * twice, whether the store created the cache (the listener in its configuration) or found one
 * created without it (the first node registers it).
 */
class CacheListenersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<ClusterMember> members = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final String cacheName = "listeners-" + UUID.randomUUID();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        members.forEach(ClusterMember::close);
    }

    private Cache<String, String> storeOn(ClusterMember member) {
        members.add(member);
        opened.add(JCacheKeyStateStore.open(member.cacheManager(), cacheName, TIMEOUT));
        return member.cacheManager().getCache(cacheName, String.class, String.class);
    }

    /** Starts the first member (with {@code before} done on it), then the joiner; counts what the joiner hears. */
    private void eachEventIsHeardOnceByTheJoiner(java.util.function.Consumer<ClusterMember> before) throws Exception {
        ClusterMember.Plan plan = ClusterMember.plan(2);
        CapturedLogs.clear();
        ClusterMember first = plan.start(0);
        before.accept(first);
        Cache<String, String> onFirst = storeOn(first);
        Cache<String, String> onJoiner = storeOn(plan.start(1));
        List<String> heard = new CopyOnWriteArrayList<>();
        CacheListeners.Subscriber counting = (key, line) -> heard.add(key + "=" + line);
        CacheListeners.subscribe(onJoiner, counting);
        opened.add(() -> CacheListeners.unsubscribe(onJoiner, counting));

        onFirst.put("probe", "1");

        await().atMost(Duration.ofSeconds(2)).until(() -> heard.contains("probe=1"));
        // A second registration's copy comes right behind the first: give it time to show.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> heard.size() == 1);
        assertThat(CapturedLogs.allText()).doesNotContain("can be registered only once");
    }

    @Test
    void onACacheTheStoreCreatedTheJoinerHearsEachEventOnce() throws Exception {
        eachEventIsHeardOnceByTheJoiner(first -> { });
    }

    @Test
    void onACacheCreatedWithoutTheListenerTheJoinerHearsEachEventOnce() throws Exception {
        eachEventIsHeardOnceByTheJoiner(first -> first.cacheManager().createCache(cacheName,
                new MutableConfiguration<String, String>().setTypes(String.class, String.class)));
    }
}
