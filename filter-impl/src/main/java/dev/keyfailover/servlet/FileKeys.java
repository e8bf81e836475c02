package dev.keyfailover.servlet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.keyfailover.config.KeysFileFormat;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeysCipher;

/**
 * A route's keys file as the route knows it (behaviour.md §14): the keys it listed when last
 * applied, why its last change was not applied, and the writes that keep it true when keys are
 * added or removed at run time (only when it is writable; else the change lives in memory). A route
 * without a keys file lists nothing and writes nothing. Not thread-safe: {@link RouteKeys} makes
 * every call under its lock, so that a read of the file and a write of it never cross.
 */
final class FileKeys {

    private final String route;
    private final Optional<Path> file;
    private List<String> keys;
    private volatile String error;

    /** @param configured the file's keys as the route's start read them (none without a file) */
    FileKeys(String route, Optional<Path> file, List<String> configured) {
        this.route = route;
        this.file = file;
        this.keys = file.isPresent() ? List.copyOf(configured) : List.of();
    }

    Optional<Path> path() {
        return file;
    }

    /** The file's keys, in its order, as last applied. */
    List<String> keys() {
        return keys;
    }

    /** Why the last change of the file was not applied (naming the line), or empty. */
    Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /**
     * The file changed: its keys as it lists them now. The watcher read {@code seen} before the
     * route's lock was taken; an add or a remove may have written the file since, so it is read
     * again here (a stale text applied after the write would bring a removed key back or drop added
     * ones); {@code seen} only when the file cannot be read now.
     *
     * @throws IllegalArgumentException the text does not parse (naming the line): the keys stay as they were
     */
    List<String> reread(String seen) {
        String text = KeysFileStore.read(file.orElseThrow()).orElse(seen);
        try {
            keys = KeysFileFormat.parse(text);
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
            throw e;
        }
        error = null;
        return keys;
    }

    /** Adds keys at the file's end when it is writable: whether it was written (then they are its keys). */
    boolean append(Collection<String> added) {
        if (file.isEmpty() || !KeysFileStore.writable(file.get())) {
            return false;
        }
        List<String> written = new ArrayList<>(keys);
        written.addAll(added);
        boolean persisted = KeysFileStore.tryWrite(route, file.get(), written);
        if (persisted) {
            keys = List.copyOf(written);
        }
        return persisted;
    }

    /**
     * Takes the key of this fingerprint out of the file's keys: whether the file was written without
     * it. Taken out even when the file cannot be written, so that the route drops it all the same.
     */
    boolean remove(String fingerprint) {
        List<String> kept = new ArrayList<>(keys);
        if (!kept.removeIf(candidate -> KeyFingerprint.of(candidate).equals(fingerprint))) {
            return false;
        }
        boolean persisted = file.isPresent() && KeysFileStore.writable(file.get())
                && KeysFileStore.tryWrite(route, file.get(), kept);
        keys = List.copyOf(kept);
        return persisted;
    }

    /** A writable keys file gets the cluster's change written back (behaviour.md §14, across nodes). */
    void writeBack(List<String> deploy, List<KeysCipher.Opened> sharedAdds, Set<String> removed) {
        file.flatMap(path -> SharedFileKeys.writeBack(route, path, keys, deploy, sharedAdds, removed))
                .ifPresent(listed -> keys = List.copyOf(listed));
    }

    /**
     * Whether the file is written back and, after the cluster's change, lists each of these keys (by
     * SHA-256) or, with {@code listed} false, none of them: an admin's {@code persisted}.
     */
    boolean holds(Set<String> digests, boolean listed) {
        if (file.isEmpty() || !KeysFileStore.writable(file.get())) {
            return false;
        }
        Set<String> inFile = new HashSet<>();
        keys.forEach(key -> inFile.add(KeyFingerprint.digest(key)));
        return digests.stream().allMatch(digest -> inFile.contains(digest) == listed);
    }
}
