package dev.keyfailover.servlet;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeySource;
import dev.keyfailover.pool.KeysCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a route's keys come from and how they change (behaviour.md §14): the deploy-time keys
 * (never removed), the keys file's (replaced whole by each valid change of the file), and the keys
 * the admin API added and could not write to a file. Every change builds the whole list, in that
 * order, and swaps it into the pool. Changes are serialised here; the request path never waits. On a
 * route shared by a cluster, the API's changes come from {@link SharedRouteKeys} (behaviour.md §14),
 * and a writable keys file gets each change the cluster makes written back ({@link SharedFileKeys}).
 * What the keys file lists, and its writes, are {@link FileKeys}'.
 */
final class RouteKeys implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteKeys.class);

    /** What a remove came to. */
    enum Removal { REMOVED, NOT_FOUND, DEPLOY_KEY, LAST_KEY }

    /** What a remove came to, and whether the file was rewritten. */
    record Removed(Removal result, boolean persisted) {
    }

    /** What an add came to: fingerprints only. */
    record Added(List<String> added, List<String> duplicates, boolean persisted) {
    }

    private final String route;
    private final KeyPool pool;
    /** Given at deploy time, when the route has no keys file: never removed. */
    private final List<String> deploy;
    private final FileKeys fromFile;
    /** Added through the API and not in the file, in the order they came. */
    private final List<String> api = new ArrayList<>();
    private final Map<String, String> labels = new HashMap<>();
    /** Added through the API on any node of a cluster, as the shared store holds them. */
    private List<KeysCipher.Opened> sharedAdds = List.of();
    /** The SHA-256 of keys removed at run time on any node of a cluster. */
    private Set<String> removed = Set.of();
    private KeysFileWatcher watcher;
    private volatile SharedRouteKeys sharing;

    RouteKeys(String route, KeyPool pool, Optional<Path> file, List<String> configured) {
        this.route = route;
        this.pool = pool;
        this.deploy = file.isPresent() ? List.of() : List.copyOf(configured);
        this.fromFile = new FileKeys(route, file, configured);
        if (file.isPresent()) {
            apply();
        }
    }

    /** Starts watching the keys file, if the route has one. */
    void watch(String startedWith, Duration interval) throws IOException {
        Optional<Path> file = fromFile.path();
        if (file.isPresent()) {
            watcher = KeysFileWatcher.start(route, file.get(), startedWith, interval, this::fileChanged,
                    () -> "the " + fileKeyCount() + " keys it listed");
        }
    }

    private synchronized int fileKeyCount() {
        return fromFile.keys().size();
    }

    KeyPool pool() {
        return pool;
    }

    /** Why the last change of the keys file was not applied (naming the line), or empty. */
    Optional<String> fileError() {
        return fromFile.error();
    }

    /**
     * The file changed: its text as it is now applied whole, or, when it does not parse, the old list
     * kept and the line named. The file is read again under this lock ({@link FileKeys#reread}): the
     * watcher read {@code seen} before an add or a remove may have written it.
     */
    synchronized void fileChanged(String seen) {
        Path file = fromFile.path().orElseThrow();
        List<String> keys;
        try {
            keys = fromFile.reread(seen);
        } catch (IllegalArgumentException e) {
            LOG.error("{}: keys file {}: {}; the keys stay as they were", route, file, e.getMessage());
            return;
        }
        // A key the API added that the file now lists is the file's: listed once, gone when the file drops it.
        api.removeAll(keys);
        apply();
        LOG.info("{}: keys file {} applied: {} key(s) from it, {} in the pool", route, file, keys.size(),
                pool.keys().size());
    }

    /** Adds keys (already checked for whitespace and control characters); those already in the pool are duplicates. */
    synchronized Added add(List<String> keys, List<String> keyLabels) {
        Map<String, String> fresh = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        Set<String> present = new HashSet<>(concat());
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (present.contains(key) || fresh.containsKey(key)) {
                duplicates.add(KeyFingerprint.of(key));
            } else {
                fresh.put(key, keyLabels.get(i));
            }
        }
        if (fresh.isEmpty()) {
            return new Added(List.of(), duplicates, false);
        }
        // Written to a writable keys file, so that they outlive the route; else kept in memory.
        boolean persisted = fromFile.append(fresh.keySet());
        if (!persisted) {
            api.addAll(fresh.keySet());
        }
        fresh.entrySet().stream().filter(entry -> entry.getValue() != null && !entry.getValue().isEmpty())
                .forEach(entry -> labels.put(entry.getKey(), entry.getValue()));
        apply();
        List<String> added = new ArrayList<>(fresh.size());
        fresh.keySet().forEach(key -> added.add(KeyFingerprint.of(key)));
        return new Added(added, duplicates, persisted);
    }

    /** Removes the key with this fingerprint, unless it was given at deploy time or is the last one. */
    synchronized Removed remove(String fingerprint) {
        Optional<Removal> refused = refusal(fingerprint);
        if (refused.isPresent()) {
            return new Removed(refused.get(), false);
        }
        api.removeIf(candidate -> KeyFingerprint.of(candidate).equals(fingerprint));
        boolean persisted = fromFile.remove(fingerprint);
        apply();
        return new Removed(Removal.REMOVED, persisted);
    }

    /** Why the key with this fingerprint cannot be removed: not in the pool, given at deploy time, the last one. */
    synchronized Optional<Removal> refusal(String fingerprint) {
        Optional<Key> key = pool.find(fingerprint);
        if (key.isEmpty()) {
            return Optional.of(Removal.NOT_FOUND);
        }
        if (key.get().membership().source() == KeySource.DEPLOY) {
            return Optional.of(Removal.DEPLOY_KEY);
        }
        return pool.keys().size() == 1 ? Optional.of(Removal.LAST_KEY) : Optional.empty();
    }

    /**
     * The cluster's run-time changes (behaviour.md §14, across nodes): the keys added through the API
     * on any node, in their order, and the keys removed (SHA-256), which no keys file brings back. A
     * writable keys file gets them written back first, so that they outlive the cluster.
     */
    synchronized void shared(List<KeysCipher.Opened> added, Set<String> removedDigests) {
        sharedAdds = List.copyOf(added);
        removed = Set.copyOf(removedDigests);
        added.stream().filter(key -> !key.label().isEmpty()).forEach(key -> labels.putIfAbsent(key.key(), key.label()));
        fromFile.writeBack(deploy, sharedAdds, removed);
        try {
            apply();
        } catch (IllegalArgumentException e) {
            LOG.error("{}: the cluster's run-time keys leave no key here ({}); the keys stay as they were", route,
                    e.getMessage());
        }
    }

    /**
     * Whether the route's keys file is written back and, after the cluster's change, lists each of
     * these keys (by SHA-256) or, with {@code listed} false, none of them: an admin's {@code persisted}.
     */
    synchronized boolean fileHolds(Set<String> digests, boolean listed) {
        return fromFile.holds(digests, listed);
    }

    /** How the route shares run-time changes with other nodes; empty on a store of this node alone. */
    Optional<SharedRouteKeys> sharing() {
        return Optional.ofNullable(sharing);
    }

    void share(SharedRouteKeys sharing) {
        this.sharing = sharing;
    }

    /**
     * The whole list, deploy-time keys first, then the file's, then the API's and the cluster's,
     * without the keys removed at run time (never a deploy key), swapped into the pool.
     */
    private void apply() {
        pool.replace(KeyListing.of(deploy, fromFile.keys(), api, sharedAdds, removed, labels));
        labels.keySet().retainAll(new HashSet<>(concat()));
    }

    private List<String> concat() {
        List<String> all = new ArrayList<>(deploy);
        all.addAll(fromFile.keys());
        all.addAll(api);
        return all;
    }

    @Override
    public void close() throws IOException {
        if (sharing != null) {
            sharing.close();
        }
        if (watcher != null) {
            watcher.close();
        }
    }
}
