package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeysCipher;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** behaviour.md §14 (across nodes, persistence): what a node writes to its keys file when it applies a cluster's change. */
class SharedFileKeysTest {

    private static final String K1 = "sk-cluster-file-key-0000000001";
    private static final String K2 = "sk-cluster-file-key-0000000002";
    private static final String ADDED = "sk-cluster-file-key-0000000003";
    private static final String DEPLOY = "sk-cluster-file-key-0000000004";
    private static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path dir;

    private static KeysCipher.Opened opened(String key) {
        return new KeysCipher.Opened(key, "");
    }

    @Test
    void theFileKeepsItsOrderLosesRemovedKeysAndGainsTheClustersAddsOnce() {
        List<String> listed = SharedFileKeys.listed(List.of(K2, K1), List.of(DEPLOY),
                List.of(opened(K1), opened(ADDED), opened(DEPLOY)), Set.of(KeyFingerprint.digest(K2)));

        assertThat(listed).containsExactly(K1, ADDED);
    }

    @Test
    void aFileThatAlreadyListsTheChangeIsNotWrittenAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), K1 + "\n" + ADDED + "\n");
        Files.setLastModifiedTime(file, LONG_AGO);

        Optional<List<String>> listed = SharedFileKeys.writeBack("r", file, List.of(K1), List.of(),
                List.of(opened(ADDED)), Set.of());

        assertThat(listed).contains(List.of(K1, ADDED));
        assertThat(Files.getLastModifiedTime(file)).as("another node on the volume wrote it already").isEqualTo(LONG_AGO);
    }

    @Test
    void theFileIsReadAgainSoAnotherWritersKeysStay() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), K1 + "\n" + K2 + "\n");

        Optional<List<String>> listed = SharedFileKeys.writeBack("r", file, List.of(K1), List.of(),
                List.of(opened(ADDED)), Set.of());

        assertThat(listed).contains(List.of(K1, K2, ADDED));
        assertThat(Files.readString(file)).isEqualTo(K1 + "\n" + K2 + "\n" + ADDED + "\n");
    }

    @Test
    void aFileThatDoesNotParseOrWouldListNoKeyIsLeftAsItIs() throws Exception {
        CapturedLogs.clear();
        Path broken = Files.writeString(dir.resolve("broken"), K1 + "\n" + K1 + "\n");
        Path last = Files.writeString(dir.resolve("last"), K1 + "\n");

        assertThat(SharedFileKeys.writeBack("r", broken, List.of(K1), List.of(), List.of(opened(ADDED)), Set.of()))
                .isEmpty();
        assertThat(SharedFileKeys.writeBack("r", last, List.of(K1), List.of(), List.of(),
                Set.of(KeyFingerprint.digest(K1)))).isEmpty();

        assertThat(Files.readString(broken)).isEqualTo(K1 + "\n" + K1 + "\n");
        assertThat(Files.readString(last)).isEqualTo(K1 + "\n");
        assertThat(CapturedLogs.allText()).contains("not written to it").contains("left as it is")
                .doesNotContain(K1).doesNotContain(ADDED);
    }
}
