package dev.keyfailover.pool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The run-time changes of one route's keys as the cluster's store holds them (behaviour.md §14,
 * across nodes): keys added through the admin API (sealed by {@link KeysCipher}, in the order they
 * came), keys an administrator disabled, keys removed. Keys are named by their whole SHA-256 in hex;
 * no entry holds a key in clear. An immutable value with a version that every write raises by one,
 * so a node adopts only a newer one. Its text, one entry a line:
 * <pre>
 * keyfailover-keys 1 &lt;version&gt;
 * added &lt;sha-256&gt; &lt;sealed&gt;
 * disabled &lt;sha-256&gt;
 * removed &lt;sha-256&gt;
 * </pre>
 */
public final class KeyChanges {

    /** Nothing changed at run time. */
    public static final KeyChanges NONE = new KeyChanges(0, Map.of(), Set.of(), Set.of());
    private static final String HEADER = "keyfailover-keys 1 ";

    private final long version;
    private final Map<String, String> added;
    private final Set<String> disabled;
    private final Set<String> removed;

    private KeyChanges(long version, Map<String, String> added, Set<String> disabled, Set<String> removed) {
        this.version = version;
        this.added = Collections.unmodifiableMap(new LinkedHashMap<>(added));
        this.disabled = Collections.unmodifiableSet(new LinkedHashSet<>(disabled));
        this.removed = Collections.unmodifiableSet(new LinkedHashSet<>(removed));
    }

    public long version() {
        return version;
    }

    /** Sealed keys by SHA-256, in the order they were added. */
    public Map<String, String> added() {
        return added;
    }

    public Set<String> disabled() {
        return disabled;
    }

    /** Keys removed at run time: a key file or an earlier add that still holds one does not bring it back. */
    public Set<String> removed() {
        return removed;
    }

    /** An add; a key removed before is back. */
    public KeyChanges add(String digest, String sealed) {
        Map<String, String> nextAdded = new LinkedHashMap<>(added);
        nextAdded.putIfAbsent(digest, sealed);
        Set<String> nextRemoved = new LinkedHashSet<>(removed);
        nextRemoved.remove(digest);
        return new KeyChanges(version, nextAdded, disabled, nextRemoved);
    }

    public KeyChanges disable(String digest, boolean disable) {
        Set<String> next = new LinkedHashSet<>(disabled);
        if (disable) {
            next.add(digest);
        } else {
            next.remove(digest);
        }
        return new KeyChanges(version, added, next, removed);
    }

    /** A remove: the key's add and its disabling go, and it stays out until it is added again. */
    public KeyChanges remove(String digest) {
        Map<String, String> nextAdded = new LinkedHashMap<>(added);
        nextAdded.remove(digest);
        Set<String> nextDisabled = new LinkedHashSet<>(disabled);
        nextDisabled.remove(digest);
        Set<String> nextRemoved = new LinkedHashSet<>(removed);
        nextRemoved.add(digest);
        return new KeyChanges(version, nextAdded, nextDisabled, nextRemoved);
    }

    KeyChanges withVersion(long next) {
        return new KeyChanges(next, added, disabled, removed);
    }

    String text() {
        StringBuilder text = new StringBuilder(HEADER).append(version).append('\n');
        added.forEach((digest, sealed) -> text.append("added ").append(digest).append(' ').append(sealed).append('\n'));
        disabled.forEach(digest -> text.append("disabled ").append(digest).append('\n'));
        removed.forEach(digest -> text.append("removed ").append(digest).append('\n'));
        return text.toString();
    }

    /** @throws IllegalArgumentException when the text is not such a list (the message names the line) */
    static KeyChanges parse(String text) {
        String[] lines = text.split("\n");
        if (!lines[0].startsWith(HEADER)) {
            throw new IllegalArgumentException("line 1 is not '" + HEADER + "<version>'");
        }
        long version;
        try {
            version = Long.parseLong(lines[0].substring(HEADER.length()).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line 1: the version is not a number");
        }
        Map<String, String> added = new LinkedHashMap<>();
        Set<String> disabled = new LinkedHashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String[] parts = lines[i].split(" ");
            boolean named = parts.length >= 2 && parts[1].matches("[0-9a-f]{64}");
            if (named && parts[0].equals("added") && parts.length == 3) {
                added.put(parts[1], parts[2]);
            } else if (named && parts[0].equals("disabled") && parts.length == 2) {
                disabled.add(parts[1]);
            } else if (named && parts[0].equals("removed") && parts.length == 2) {
                removed.add(parts[1]);
            } else if (!lines[i].isEmpty()) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not 'added|disabled|removed <sha-256> ...'");
            }
        }
        return new KeyChanges(version, added, disabled, removed);
    }

    @Override
    public String toString() {
        return "KeyChanges[version " + version + ", " + added.size() + " added, " + disabled.size() + " disabled, "
                + removed.size() + " removed]";
    }
}
