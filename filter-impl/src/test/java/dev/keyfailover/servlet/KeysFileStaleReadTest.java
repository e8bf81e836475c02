package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.pool.Sleeper;
import dev.keyfailover.settings.PoolSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * behaviour.md §14: the watcher reads the keys file before it may apply it; an add or a remove that
 * writes the file in between must not be undone by the text read before it.
 */
class KeysFileStaleReadTest {

    private static final String K1 = "sk-stale-key-000000000001";
    private static final String K2 = "sk-stale-key-000000000002";
    private static final String NEW = "sk-stale-key-000000000003";
    private static final String BEFORE = K1 + "\n" + K2 + "\n";

    @TempDir
    Path dir;

    private RouteKeys keys() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), BEFORE);
        KeyPool pool = new KeyPool("openai", List.of(K1, K2), Clock.systemUTC(), PoolSettings.defaults(),
                Sleeper.THREAD, LocalKeyStateStore.INSTANCE);
        return new RouteKeys("servlet 'openai'", pool, Optional.of(file), List.of(K1, K2));
    }

    private static List<String> fingerprints(RouteKeys keys) {
        return keys.pool().keys().stream().map(Key::fingerprint).toList();
    }

    @Test
    void aTextReadBeforeAnAddIsNotAppliedAfterIt() throws Exception {
        RouteKeys keys = keys();
        assertThat(keys.add(List.of(NEW), Arrays.asList((String) null)).persisted()).isTrue();

        keys.fileChanged(BEFORE); // what the watcher read just before the add wrote the file

        assertThat(fingerprints(keys)).contains(KeyFingerprint.of(NEW)).hasSize(3);
    }

    @Test
    void aTextReadBeforeARemoveDoesNotBringTheKeyBack() throws Exception {
        RouteKeys keys = keys();
        assertThat(keys.remove(KeyFingerprint.of(K2)).persisted()).isTrue();

        keys.fileChanged(BEFORE);

        assertThat(fingerprints(keys)).containsExactly(KeyFingerprint.of(K1));
    }
}
