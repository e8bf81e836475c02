package dev.keyfailover.pool;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import javax.cache.Cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One route's run-time key changes in the shared store (behaviour.md §14, across nodes): the entry
 * {@code keyfailover-keys|<provider>} of the state cache, holding a {@link KeyChanges}. A change is
 * a compare-and-set on that entry; every node hears of a newer version from the cache's listener
 * (milliseconds), and, since Hazelcast does not promise to deliver every event (a member that
 * leaves, a partition that moves), also polls every {@link #POLL}. The poll reads only the list's
 * published version ({@link KeyListVersion}, a number) and the list itself only when that is newer
 * than the one this node holds: a list of 10,000 added keys is about 1.5 MB, read once per change,
 * not 2.5 times a second. A node that finds the entry gone while it holds changes (the cluster
 * restarted under a client node) writes its own back. What a node adopts it hands to the listener,
 * one version at a time, newer versions only.
 */
public final class SharedKeyList implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedKeyList.class);
    static final String PREFIX = "keyfailover-keys|";
    /** With the listener this is only the safety net; alone it still keeps every node within 1 s. */
    static final Duration POLL = Duration.ofMillis(400);
    /** An admin's change may wait longer than a mark: it is not on a request's path. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
    private static final int ATTEMPTS = 16;

    private final Cache<String, String> cache;
    private final StoreCalls calls;
    private final String entry;
    private final KeyListVersion version;
    private final Consumer<KeyChanges> listener;
    private final ScheduledExecutorService poller;
    private final CacheListeners.Subscriber subscriber = this::heard;
    /** The newest version adopted; guarded by this. */
    private KeyChanges held = KeyChanges.NONE;
    private volatile boolean unreadableLogged;

    private SharedKeyList(Cache<String, String> cache, StoreCalls calls, String provider, Consumer<KeyChanges> listener) {
        this.cache = cache;
        this.calls = calls;
        this.entry = PREFIX + provider;
        this.version = new KeyListVersion(cache, provider);
        this.listener = listener;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "keyfailover-keys-" + provider);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Reads what the cluster holds now (a restarted node agrees with the others), then follows it. */
    static SharedKeyList open(Cache<String, String> cache, StoreCalls calls, String provider,
                              Consumer<KeyChanges> listener, Duration startupTimeout) {
        return open(cache, calls, provider, listener, startupTimeout, POLL);
    }

    /** As above, polling every {@code poll} (tests poll by hand, with a poll that never comes). */
    static SharedKeyList open(Cache<String, String> cache, StoreCalls calls, String provider,
                              Consumer<KeyChanges> listener, Duration startupTimeout, Duration poll) {
        SharedKeyList list = new SharedKeyList(cache, calls, provider, listener);
        String line = calls.call("read the run-time keys", startupTimeout, () -> list.cache.get(list.entry));
        if (line != null) {
            list.adopt(line);
        }
        CacheListeners.subscribe(cache, list.subscriber);
        list.poller.scheduleWithFixedDelay(list::poll, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
        return list;
    }

    /**
     * Makes a change on the cluster's list and adopts it here.
     *
     * @return the list as written; empty when the store did not take it in time (nothing changed)
     */
    public Optional<KeyChanges> change(UnaryOperator<KeyChanges> change) {
        KeyChanges written = calls.call("change the run-time keys", WRITE_TIMEOUT, () -> {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                String line = cache.get(entry);
                KeyChanges now = line == null ? held() : readable(line).orElse(KeyChanges.NONE);
                KeyChanges next = change.apply(now).withVersion(Math.max(now.version(), held().version()) + 1);
                if (line == null ? cache.putIfAbsent(entry, next.text()) : cache.replace(entry, line, next.text())) {
                    publish(next.version());
                    return next;
                }
            }
            return null;
        });
        if (written != null) {
            offer(written);
        }
        return Optional.ofNullable(written);
    }

    /** The newest version this node adopted. */
    public synchronized KeyChanges held() {
        return held;
    }

    private void heard(String cacheKey, String line) {
        if (entry.equals(cacheKey) && line != null) {
            // Not on the cache's event thread: opening keys and swapping the list take their time.
            poller.execute(() -> adopt(line));
        }
    }

    /** Reads the published version; the list only when that is newer than the one held, or when none is published. */
    void poll() {
        try {
            OptionalLong published = version.read();
            if (published.isPresent() && published.getAsLong() <= held().version()) {
                return;
            }
            String line = cache.get(entry);
            if (line == null) {
                if (held().version() > 0 && cache.putIfAbsent(entry, held().text())) {
                    publish(held().version());
                    LOG.warn("{}: the cluster had lost the run-time key changes; this node wrote its own back (version {})",
                            entry, held().version());
                }
                return;
            }
            Optional<KeyChanges> listed = readable(line);
            listed.ifPresent(this::offer);
            long listedVersion = listed.map(KeyChanges::version).orElse(0L);
            if (published.isEmpty()) {
                // A list written before versions were published (or the version lost): publish it once.
                version.raise(listedVersion);
            } else if (listed.isPresent() && listedVersion < published.getAsLong()) {
                version.settle(published.getAsLong(), listedVersion);
            }
        } catch (RuntimeException e) {
            // The state store logs when it stops answering; the next poll tries again.
            LOG.debug("{}: cannot read the run-time key changes: {}", entry, e.toString());
        }
    }

    /** The list is written: its version is published, so that polls read it. */
    private void publish(long written) {
        try {
            version.raise(written);
        } catch (RuntimeException e) {
            // The list is the change and it is made; the cache's event brings it to the other nodes.
            LOG.debug("{}: version {} written, not yet published: {}", entry, written, e.toString());
        }
    }

    private void adopt(String line) {
        readable(line).ifPresent(this::offer);
    }

    private Optional<KeyChanges> readable(String line) {
        try {
            return Optional.of(KeyChanges.parse(line));
        } catch (IllegalArgumentException e) {
            if (!unreadableLogged) {
                unreadableLogged = true;
                LOG.error("{}: the cluster's entry is not a list of run-time key changes ({}); ignored", entry,
                        e.getMessage());
            }
            return Optional.empty();
        }
    }

    /** Hands a newer version to the listener; versions arrive from the listener, the poll and own writes. */
    private synchronized void offer(KeyChanges next) {
        if (next.version() > held.version()) {
            held = next;
            listener.accept(next);
        }
    }

    @Override
    public void close() {
        CacheListeners.unsubscribe(cache, subscriber);
        poller.shutdownNow();
    }
}
