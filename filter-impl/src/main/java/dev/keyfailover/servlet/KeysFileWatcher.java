package dev.keyfailover.servlet;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one keys file (behaviour.md §14): a {@link WatchService} on its directory wakes it at
 * once for an edit in place, an atomic rename or the {@code ..data} symlink swap of a Kubernetes
 * Secret volume; whether it woke or not, every {@code interval} it compares the file's SHA-256 with
 * the last content it handed on, so a change the service missed is applied all the same. One
 * daemon thread per route, stopped by {@link #close()}.
 */
final class KeysFileWatcher implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(KeysFileWatcher.class);
    /** How long a change settles before the file is read: an edit in place writes in several steps. */
    private static final long SETTLE_MILLIS = 50;

    private final Path file;
    private final Duration interval;
    private final Consumer<String> changed;
    /** What stays in force while the file is gone, for the log ("the 2 keys it listed"). */
    private final Supplier<String> kept;
    private final WatchService service;
    private final Thread thread;
    private byte[] lastDigest;
    /** The failure last said of reading the file (its exception's name), until it can be read again. */
    private String unreadable;
    /** Checks in a row that found no file: the first may fall between a swap's two steps. */
    private int missing;
    private volatile boolean running = true;

    private KeysFileWatcher(String route, Path file, String startedWith, Duration interval, Consumer<String> changed,
                            Supplier<String> kept) throws IOException {
        this.file = file;
        this.interval = interval;
        this.changed = changed;
        this.kept = kept;
        this.lastDigest = digest(startedWith.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path directory = file.toAbsolutePath().getParent();
        this.service = directory.getFileSystem().newWatchService();
        directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::run, "keyfailover-keys-file-" + route);
        thread.setDaemon(true);
    }

    /**
     * Starts watching.
     *
     * @param startedWith the text the route's keys came from, so that only a change is handed on
     * @param changed gets the file's new text (on the watcher's thread)
     * @param kept what stays in force while the file is gone, as the log says it ("the 2 keys it listed")
     */
    static KeysFileWatcher start(String route, Path file, String startedWith, Duration interval,
                                 Consumer<String> changed, Supplier<String> kept) throws IOException {
        KeysFileWatcher watcher = new KeysFileWatcher(route, file, startedWith, interval, changed, kept);
        watcher.thread.start();
        return watcher;
    }

    private void run() {
        try {
            while (running) {
                WatchKey key = service.poll(interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                if (key != null) {
                    Thread.sleep(SETTLE_MILLIS);
                    key.pollEvents();
                    key.reset();
                }
                check();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed: the route stops
        }
    }

    /** Reads the file and hands its text on when it differs from the last one. */
    void check() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            // Once may be between the two steps of a swap; still missing at the next check, it is gone.
            // Said once (§14: the old list stays), not at every check twice a second.
            if (++missing == 2) {
                LOG.warn("keys file {} is gone; keeping {} until it is back", file, kept.get());
            }
            return;
        } catch (IOException e) {
            // Said once per kind of failure: the check repeats twice a second for as long as it lasts.
            if (!e.getClass().getSimpleName().equals(unreadable)) {
                unreadable = e.getClass().getSimpleName();
                LOG.warn("keys file {}: cannot read it ({}); the keys stay as they are", file, unreadable);
            }
            return;
        }
        unreadable = null;
        boolean back = missing >= 2;
        missing = 0;
        byte[] digest = digest(bytes);
        if (Arrays.equals(digest, lastDigest)) {
            if (back) {
                LOG.info("keys file {} is back, as it was", file);
            }
            return;
        }
        if (back) {
            LOG.info("keys file {} is back: applying it", file);
        }
        lastDigest = digest;
        try {
            changed.accept(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.error("keys file {}: applying the change failed ({})", file, e.getClass().getSimpleName());
        }
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        service.close();
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
