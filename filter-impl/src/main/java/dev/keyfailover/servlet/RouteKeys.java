package dev.keyfailover.servlet;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keyfailover.config.KeysFileFormat;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyEntry;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a route's keys come from and how they change (behaviour.md §14): the deploy-time keys
 * (never removed), the keys file's (replaced whole by each valid change of the file), and the keys
 * the admin API added and could not write to a file. Every change builds the whole list, in that
 * order, and swaps it into the pool. Changes are serialised here; the request path never waits.
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
    private final Optional<Path> file;
    private final List<String> deploy;
    private List<String> fromFile;
    /** Added through the API and not in the file, in the order they came. */
    private final List<String> api = new ArrayList<>();
    private final Map<String, String> labels = new HashMap<>();
    private volatile String fileError;
    private KeysFileWatcher watcher;

    RouteKeys(String route, KeyPool pool, Optional<Path> file, List<String> configured) {
        this.route = route;
        this.pool = pool;
        this.file = file;
        this.deploy = file.isPresent() ? List.of() : List.copyOf(configured);
        this.fromFile = file.isPresent() ? List.copyOf(configured) : List.of();
        if (file.isPresent()) {
            apply();
        }
    }

    /** Starts watching the keys file, if the route has one. */
    void watch(String startedWith, java.time.Duration interval) throws IOException {
        if (file.isPresent()) {
            watcher = KeysFileWatcher.start(route, file.get(), startedWith, interval, this::fileChanged);
        }
    }

    KeyPool pool() {
        return pool;
    }

    /** Why the last change of the keys file was not applied (naming the line), or empty. */
    Optional<String> fileError() {
        return Optional.ofNullable(fileError);
    }

    /** The file's new text: applied whole, or, when it does not parse, the old list kept and the line named. */
    synchronized void fileChanged(String text) {
        List<String> keys;
        try {
            keys = KeysFileFormat.parse(text);
        } catch (IllegalArgumentException e) {
            fileError = e.getMessage();
            LOG.error("{}: keys file {}: {}; the keys stay as they were", route, file.orElseThrow(), e.getMessage());
            return;
        }
        fromFile = keys;
        api.removeAll(keys);
        fileError = null;
        apply();
        LOG.info("{}: keys file {} applied: {} key(s) from it, {} in the pool", route, file.orElseThrow(),
                keys.size(), pool.keys().size());
    }

    /** Adds keys (already checked for whitespace and control characters); those already in the pool are duplicates. */
    synchronized Added add(List<String> keys, List<String> keyLabels) {
        Map<String, String> fresh = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        java.util.Set<String> present = new java.util.HashSet<>(deploy);
        present.addAll(fromFile);
        present.addAll(api);
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
        boolean persisted = false;
        if (file.isPresent() && KeysFileStore.writable(file.get())) {
            List<String> written = new ArrayList<>(fromFile);
            written.addAll(fresh.keySet());
            persisted = persist(written);
            if (persisted) {
                fromFile = List.copyOf(written);
            }
        }
        if (!persisted) {
            api.addAll(fresh.keySet());
        }
        fresh.forEach((key, label) -> {
            if (label != null && !label.isEmpty()) {
                labels.put(key, label);
            }
        });
        apply();
        List<String> added = new ArrayList<>(fresh.size());
        fresh.keySet().forEach(key -> added.add(KeyFingerprint.of(key)));
        return new Added(added, duplicates, persisted);
    }

    /** Removes the key with this fingerprint, unless it was given at deploy time or is the last one. */
    synchronized Removed remove(String fingerprint) {
        Optional<Key> key = pool.find(fingerprint);
        if (key.isEmpty()) {
            return new Removed(Removal.NOT_FOUND, false);
        }
        if (key.get().membership().source() == KeySource.DEPLOY) {
            return new Removed(Removal.DEPLOY_KEY, false);
        }
        if (pool.keys().size() == 1) {
            return new Removed(Removal.LAST_KEY, false);
        }
        boolean persisted = false;
        api.removeIf(candidate -> KeyFingerprint.of(candidate).equals(fingerprint));
        List<String> kept = new ArrayList<>(fromFile);
        if (kept.removeIf(candidate -> KeyFingerprint.of(candidate).equals(fingerprint))) {
            persisted = file.isPresent() && KeysFileStore.writable(file.get()) && persist(kept);
            fromFile = List.copyOf(kept);
        }
        apply();
        return new Removed(Removal.REMOVED, persisted);
    }

    private boolean persist(List<String> keys) {
        try {
            KeysFileStore.write(file.orElseThrow(), keys);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: keys file {}: cannot write it ({}); the change lasts until restart", route,
                    file.orElseThrow(), e.getClass().getSimpleName());
            return false;
        }
    }

    /** The whole list, deploy-time keys first, then the file's, then the API's, swapped into the pool. */
    private void apply() {
        List<KeyEntry> entries = new ArrayList<>(deploy.size() + fromFile.size() + api.size());
        deploy.forEach(key -> entries.add(new KeyEntry(key, KeySource.DEPLOY, labels.get(key))));
        fromFile.forEach(key -> entries.add(new KeyEntry(key, KeySource.FILE, labels.get(key))));
        api.forEach(key -> entries.add(new KeyEntry(key, KeySource.API, labels.get(key))));
        pool.replace(entries);
        labels.keySet().retainAll(new java.util.HashSet<>(concat()));
    }

    private List<String> concat() {
        List<String> all = new ArrayList<>(deploy);
        all.addAll(fromFile);
        all.addAll(api);
        return all;
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }
}
