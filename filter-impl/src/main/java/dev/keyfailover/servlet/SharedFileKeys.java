package dev.keyfailover.servlet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.keyfailover.config.KeysFileFormat;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeysCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster's run-time key changes written to a node's own keys file (behaviour.md §14, across
 * nodes), as a local route writes an admin's: on every node whose file is writable, the node that
 * took the change and every node that applies it. The file is read again first (another node on the
 * same volume, or an operator, may have written it since this node read it): what it lists now,
 * without the keys the cluster removed, then the cluster's adds it lacks, in their order. Nothing is
 * written when that is what the file holds, so nodes on one volume write the same text once, and
 * the watcher's reload of a write changes nothing (nor does it go back to the cluster: only the
 * admin API writes there).
 */
final class SharedFileKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SharedFileKeys.class);

    private SharedFileKeys() {
    }

    /**
     * Writes the change back when the file is writable.
     *
     * @param held the file's keys as this node last applied them, used while the file is between the two steps of a swap
     * @return the keys the file lists now; empty when it was not written (read-only, not parsed, not writable now)
     */
    static Optional<List<String>> writeBack(String route, Path file, List<String> held, List<String> deploy,
                                            List<KeysCipher.Opened> adds, Set<String> removed) {
        if (!KeysFileStore.writable(file)) {
            return Optional.empty();
        }
        List<String> now;
        try {
            now = KeysFileStore.read(file).map(KeysFileFormat::parse).orElse(held);
        } catch (IllegalArgumentException e) {
            // The watcher reports the broken file; the change serves from memory until the file is good.
            LOG.warn("{}: keys file {}: {}; the cluster's key changes are not written to it", route, file, e.getMessage());
            return Optional.empty();
        }
        List<String> listed = listed(now, deploy, adds, removed);
        if (listed.isEmpty()) {
            LOG.warn("{}: keys file {}: the cluster removed every key it lists; it is left as it is", route, file);
            return Optional.empty();
        }
        if (listed.equals(now)) {
            return Optional.of(listed);
        }
        if (!KeysFileStore.tryWrite(route, file, listed)) {
            return Optional.empty();
        }
        LOG.info("{}: keys file {} written back with the cluster's key changes: {} key(s)", route, file, listed.size());
        return Optional.of(listed);
    }

    /** What the file lists after the change: its keys without the removed ones, then the adds it lacks (not deploy keys). */
    static List<String> listed(List<String> inFile, List<String> deploy, List<KeysCipher.Opened> adds,
                               Set<String> removed) {
        List<String> listed = new ArrayList<>(inFile.size() + adds.size());
        Set<String> seen = new HashSet<>();
        for (String key : inFile) {
            String digest = KeyFingerprint.digest(key);
            if (!removed.contains(digest) && seen.add(digest)) {
                listed.add(key);
            }
        }
        deploy.forEach(key -> seen.add(KeyFingerprint.digest(key)));
        for (KeysCipher.Opened added : adds) {
            String digest = KeyFingerprint.digest(added.key());
            if (!removed.contains(digest) && seen.add(digest)) {
                listed.add(added.key());
            }
        }
        return listed;
    }
}
