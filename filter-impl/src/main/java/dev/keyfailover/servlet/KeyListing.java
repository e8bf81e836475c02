package dev.keyfailover.servlet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.keyfailover.pool.KeyEntry;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeySource;
import dev.keyfailover.pool.KeysCipher;

/**
 * The pool's list from a route's sources (behaviour.md §14): the deploy-time keys first, then the
 * file's, the API's and the cluster's adds, each key once, without the keys removed at run time
 * (never a deploy key).
 */
final class KeyListing {

    private final List<KeyEntry> entries = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final Set<String> removed;
    private final Map<String, String> labels;

    private KeyListing(Set<String> removed, Map<String, String> labels) {
        this.removed = removed;
        this.labels = labels;
    }

    /** @param labels an administrator's labels by key; a cluster's add carries its own */
    static List<KeyEntry> of(List<String> deploy, List<String> fromFile, List<String> api,
                             List<KeysCipher.Opened> sharedAdds, Set<String> removed, Map<String, String> labels) {
        KeyListing listing = new KeyListing(removed, labels);
        listing.collect(deploy, KeySource.DEPLOY);
        listing.collect(fromFile, KeySource.FILE);
        listing.collect(api, KeySource.API);
        for (KeysCipher.Opened added : sharedAdds) {
            listing.add(added.key(), KeySource.API, added.label());
        }
        return listing.entries;
    }

    private void collect(List<String> keys, KeySource source) {
        for (String key : keys) {
            add(key, source, labels.get(key));
        }
    }

    private void add(String key, KeySource source, String label) {
        String digest = KeyFingerprint.digest(key);
        if ((source == KeySource.DEPLOY || !removed.contains(digest)) && seen.add(digest)) {
            entries.add(new KeyEntry(key, source, label));
        }
    }
}
