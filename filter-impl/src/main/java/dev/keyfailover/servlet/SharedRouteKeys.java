package dev.keyfailover.servlet;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyChanges;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyStateStore;
import dev.keyfailover.pool.KeysCipher;
import dev.keyfailover.pool.SharedKeyList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's changes of a route whose key states a cluster shares (behaviour.md §14, across
 * nodes): each add, disable, enable or remove is written to the cluster's {@link SharedKeyList}
 * first (nothing changes here if the store does not take it), and every node, this one included,
 * applies the list it then hears of: added keys opened with the route's {@link KeysCipher}, removed
 * keys left out, disabled keys disabled. Keys travel sealed, the rest as SHA-256 digests.
 */
final class SharedRouteKeys implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRouteKeys.class);

    /** A change this route refuses, with the status of its answer. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final String route;
    private final String provider;
    private final RouteKeys keys;
    private final Optional<KeysCipher> cipher;
    private SharedKeyList list;
    /** Added keys opened before, by SHA-256 and sealed text: each is opened once. Guarded by this. */
    private final Map<String, KeysCipher.Opened> opened = new HashMap<>();
    /** Entries that could not be opened, logged once each. Guarded by this. */
    private final Set<String> unreadable = new HashSet<>();
    /** The SHA-256 of the keys disabled in the cluster, as last applied; read without a lock by the pool's listener. */
    private volatile Set<String> disabled = Set.of();

    private SharedRouteKeys(String route, String provider, RouteKeys keys, Optional<KeysCipher> cipher) {
        this.route = route;
        this.provider = provider;
        this.keys = keys;
        this.cipher = cipher;
    }

    /** Shares the route's run-time changes when its store is shared; reads and applies what the cluster holds. */
    static void start(String route, String provider, RouteKeys keys, KeyStateStore store, Optional<KeysCipher> cipher) {
        SharedRouteKeys shared = new SharedRouteKeys(route, provider, keys, cipher);
        Optional<SharedKeyList> list = store.keyList(provider, shared::applied);
        if (list.isEmpty()) {
            return;
        }
        shared.list = list.get();
        keys.share(shared);
        // A key that joins later (a keys file that lists it again) is disabled if the cluster says so.
        keys.pool().listen(change -> change.added().forEach(key -> {
            if (shared.disabled.contains(KeyFingerprint.digest(key))) {
                keys.pool().adminDisable(key, true);
            }
        }));
        LOG.info("{}: run-time key changes are shared by the cluster ({}); keys added at run time {}", route,
                store.description(), cipher.isPresent() ? "travel encrypted (keysSecret)"
                        : "are refused: the route has no keysSecret");
    }

    /** Adds keys on every node; those already in the pool are duplicates. */
    RouteKeys.Added add(List<String> added, List<String> labels) throws Refused {
        if (cipher.isEmpty()) {
            throw new Refused(409, "this route shares its keys with a cluster (stateStore=jcache) and has no "
                    + "'keysSecret': a key added at run time travels to the other nodes only encrypted; set keysSecret "
                    + "(at least " + KeysCipher.MIN_LENGTH + " characters, the same on every node) or put the "
                    + "key in the keys file");
        }
        KeyPool pool = keys.pool();
        Map<String, String> sealed = new LinkedHashMap<>();
        List<String> fresh = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        for (int i = 0; i < added.size(); i++) {
            String key = added.get(i);
            String digest = KeyFingerprint.digest(key);
            if (pool.find(KeyFingerprint.of(key)).isPresent() || sealed.containsKey(digest)) {
                duplicates.add(KeyFingerprint.of(key));
            } else {
                sealed.put(digest, cipher.get().seal(provider, key, labels.get(i)));
                fresh.add(KeyFingerprint.of(key));
            }
        }
        if (sealed.isEmpty()) {
            return new RouteKeys.Added(fresh, duplicates, false);
        }
        write(changes -> {
            KeyChanges next = changes;
            for (Map.Entry<String, String> entry : sealed.entrySet()) {
                next = next.add(entry.getKey(), entry.getValue());
            }
            return next;
        });
        // This node applied the change before write returned, its keys file written back if it can be.
        return new RouteKeys.Added(fresh, duplicates, keys.fileHolds(sealed.keySet(), true));
    }

    /** @return whether this node's key changed */
    boolean disable(Key key, boolean disable) throws Refused {
        boolean before = key.membership().isAdminDisabled();
        String digest = KeyFingerprint.digest(key);
        write(changes -> changes.disable(digest, disable));
        return before != key.membership().isAdminDisabled();
    }

    /** Removes the key on every node, unless it was given at deploy time or is the last one here. */
    RouteKeys.Removed remove(Key key) throws Refused {
        Optional<RouteKeys.Removal> refused = keys.refusal(key.fingerprint());
        if (refused.isPresent()) {
            return new RouteKeys.Removed(refused.get(), false);
        }
        String digest = KeyFingerprint.digest(key);
        write(changes -> changes.remove(digest));
        return new RouteKeys.Removed(RouteKeys.Removal.REMOVED, keys.fileHolds(Set.of(digest), false));
    }

    private void write(java.util.function.UnaryOperator<KeyChanges> change) throws Refused {
        if (list.change(change).isEmpty()) {
            throw new Refused(503, "the cluster's state store did not take the change in time; nothing changed");
        }
    }

    /** The cluster's newer list, on this node: keys opened (once each), removed ones left out, disabled ones disabled. */
    synchronized void applied(KeyChanges changes) {
        List<KeysCipher.Opened> added = new ArrayList<>();
        Map<String, KeysCipher.Opened> stillOpened = new HashMap<>();
        changes.added().forEach((digest, sealed) -> {
            KeysCipher.Opened entry = opened.get(digest + ' ' + sealed);
            if (entry == null) {
                entry = open(digest, sealed);
            }
            if (entry != null) {
                stillOpened.put(digest + ' ' + sealed, entry);
                added.add(entry);
            }
        });
        opened.clear();
        opened.putAll(stillOpened);
        disabled = changes.disabled();
        keys.shared(added, changes.removed());
        Set<String> fingerprints = new HashSet<>();
        changes.disabled().forEach(digest -> fingerprints.add(digest.substring(0, KeyFingerprint.LENGTH)));
        KeyPool pool = keys.pool();
        for (Key key : pool.keys()) {
            // By fingerprint first, the whole digest only for a key that may be disabled.
            boolean off = fingerprints.contains(key.fingerprint()) && disabled.contains(KeyFingerprint.digest(key));
            pool.adminDisable(key, off);
        }
    }

    private KeysCipher.Opened open(String digest, String sealed) {
        if (cipher.isEmpty()) {
            if (unreadable.add(digest + ' ' + sealed)) {
                LOG.error("{}: the run-time key {} added on another node cannot be decrypted: this route has no "
                        + "keysSecret; it is left out here", route, digest.substring(0, KeyFingerprint.LENGTH));
            }
            return null;
        }
        try {
            return cipher.get().open(provider, digest, sealed);
        } catch (KeysCipher.Unreadable e) {
            if (unreadable.add(digest + ' ' + sealed)) {
                LOG.error("{}: {}; it is left out here (is keysSecret the same on every node?)", route, e.getMessage());
            }
            return null;
        }
    }

    @Override
    public void close() {
        if (list != null) {
            list.close();
        }
    }
}
