package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.cache.Cache;

import dev.keyfailover.testing.ClusterMember;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * behaviour.md §14 (across nodes), the poll: two real Hazelcast members on loopback, a route's
 * run-time key list on each. The scheduled poll is set never to come; the tests poll by hand and
 * count the reads of the list's entry, about 150 bytes per added key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedKeyListPollTest {

    private static final Duration NEVER = Duration.ofHours(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private List<ClusterMember> members;
    private final List<AutoCloseable> opened = new ArrayList<>();
    /** A cache and a route of each test's own. */
    private String cacheName;
    private String provider;

    @BeforeAll
    void startCluster() throws Exception {
        members = ClusterMember.startCluster(2);
    }

    @AfterAll
    void stopCluster() {
        members.forEach(ClusterMember::close);
    }

    @AfterEach
    void closeLists() throws Exception {
        for (AutoCloseable list : opened) {
            list.close();
        }
        opened.clear();
    }

    @BeforeEach
    void nameTheCacheAndRoute() {
        cacheName = "key-list-poll-" + UUID.randomUUID();
        provider = "route-" + UUID.randomUUID();
    }

    private Cache<String, String> cacheOn(int member) {
        JCacheKeyStateStore store = JCacheKeyStateStore.open(members.get(member).cacheManager(), cacheName, TIMEOUT);
        opened.add(store);
        return members.get(member).cacheManager().getCache(cacheName, String.class, String.class);
    }

    private SharedKeyList list(Cache<String, String> cache, List<KeyChanges> adopted) {
        StoreCalls calls = new StoreCalls(cache.getName(), TIMEOUT);
        opened.add(calls);
        SharedKeyList list = SharedKeyList.open(cache, calls, provider, adopted::add, TIMEOUT, NEVER);
        opened.add(list);
        return list;
    }

    private static KeyChanges added(KeyChanges changes, int keys, String tag) {
        KeyChanges next = changes;
        for (int i = 0; i < keys; i++) {
            String digest = KeyFingerprint.digest("sk-" + tag + "-" + i);
            next = next.add(digest, HexFormat.of().formatHex(digest.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return next;
    }

    private String listEntry() {
        return SharedKeyList.PREFIX + provider;
    }

    @Test
    void aPollWithNoChangeReadsTheVersionAndNeverTheList() {
        Cache<String, String> other = cacheOn(0);
        SharedKeyList writer = list(other, new CopyOnWriteArrayList<>());
        assertThat(writer.change(changes -> added(changes, 200, "a"))).isPresent();
        CountingCache counting = CountingCache.of(listEntry());
        List<KeyChanges> adopted = new CopyOnWriteArrayList<>();

        SharedKeyList node = list(counting.deaf(cacheOn(1)), adopted);
        assertThat(counting.reads()).as("a node that starts reads the list before it serves").isEqualTo(1);
        for (int i = 0; i < 20; i++) {
            node.poll();
        }

        assertThat(counting.reads()).as("full reads of the list after the first").isEqualTo(1);
        assertThat(node.held().version()).isEqualTo(1);
        assertThat(node.held().added()).hasSize(200);
    }

    @Test
    void aChangeOnAnotherMemberThatNoEventBroughtIsReadOnceByThePoll() {
        CountingCache counting = CountingCache.of(listEntry());
        List<KeyChanges> adopted = new CopyOnWriteArrayList<>();
        SharedKeyList node = list(counting.deaf(cacheOn(1)), adopted);
        SharedKeyList writer = list(cacheOn(0), new CopyOnWriteArrayList<>());
        int atStart = counting.reads();

        KeyChanges written = writer.change(changes -> added(changes, 50, "b")).orElseThrow();
        for (int i = 0; i < 10; i++) {
            node.poll();
        }

        assertThat(counting.reads() - atStart).as("full reads of the list after one change").isEqualTo(1);
        assertThat(adopted).extracting(KeyChanges::version).containsExactly(written.version());
        assertThat(node.held().added()).isEqualTo(written.added());
    }

    @Test
    void theCachesEventBringsAChangeWithoutAnyPoll() {
        List<KeyChanges> adopted = new CopyOnWriteArrayList<>();
        SharedKeyList node = list(cacheOn(1), adopted);
        SharedKeyList writer = list(cacheOn(0), new CopyOnWriteArrayList<>());

        KeyChanges written = writer.change(changes -> changes.disable(KeyFingerprint.digest("sk-c"), true)).orElseThrow();

        await().atMost(Duration.ofSeconds(1)).until(() -> node.held().version() == written.version());
        assertThat(node.held().disabled()).containsExactly(KeyFingerprint.digest("sk-c"));
    }

    @Test
    void aNodeThatFindsTheListGoneWritesItsOwnBackAndPollsCheaplyAgain() {
        Cache<String, String> cache = cacheOn(0);
        SharedKeyList node = list(cache, new CopyOnWriteArrayList<>());
        KeyChanges written = node.change(changes -> added(changes, 10, "d")).orElseThrow();
        CapturedLogs.clear();

        cache.clear(); // the cluster restarted under this node (a client)
        CountingCache counting = CountingCache.of(listEntry());
        SharedKeyList survivor = list(counting.deaf(cacheOn(1)), new CopyOnWriteArrayList<>());
        node.poll();
        for (int i = 0; i < 10; i++) {
            survivor.poll();
        }

        assertThat(KeyChanges.parse(cache.get(listEntry()))).extracting(KeyChanges::version, KeyChanges::added)
                .containsExactly(written.version(), written.added());
        assertThat(cache.get(KeyListVersion.PREFIX + provider)).isEqualTo(Long.toString(written.version()));
        assertThat(CapturedLogs.allText()).contains("the cluster had lost the run-time key changes");
        assertThat(survivor.held().version()).isEqualTo(written.version());
        assertThat(counting.reads()).as("the survivor's start (nothing there), and one read of the list written back")
                .isEqualTo(2);
    }

    @Test
    void aListWithoutAPublishedVersionIsReadOnceAndItsVersionPublished() {
        Cache<String, String> cache = cacheOn(0);
        // As a node that did not publish versions left it.
        cache.put(listEntry(), added(KeyChanges.NONE, 5, "e").withVersion(3).text());
        CountingCache counting = CountingCache.of(listEntry());
        SharedKeyList node = list(counting.deaf(cacheOn(1)), new CopyOnWriteArrayList<>());
        cache.put(listEntry(), added(KeyChanges.NONE, 6, "e").withVersion(4).text());

        for (int i = 0; i < 10; i++) {
            node.poll();
        }

        assertThat(node.held().version()).isEqualTo(4);
        assertThat(counting.reads()).as("at start, then once by the poll").isEqualTo(2);
        assertThat(cache.get(KeyListVersion.PREFIX + provider)).isEqualTo("4");
    }
}
