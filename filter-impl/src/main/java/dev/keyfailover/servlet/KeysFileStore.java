package dev.keyfailover.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a route's keys back to its keys file (behaviour.md §14): a new file beside it, readable
 * and writable by the owner only, moved over the old one in one atomic step, so a reader (this
 * proxy's watcher, another node) never sees half a file.
 */
final class KeysFileStore {

    private static final Logger LOG = LoggerFactory.getLogger(KeysFileStore.class);

    private KeysFileStore() {
    }

    /** Whether adds and removes can be written back: a plain file (no Secret-volume symlink) in a writable directory. */
    static boolean writable(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        return Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.isWritable(file)
                && directory != null && Files.isWritable(directory);
    }

    /** The file's text now; empty when it cannot be read (between the two steps of a swap). */
    static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Replaces the file with these keys; false, and a warning naming the route, when it cannot. */
    static boolean tryWrite(String route, Path file, List<String> keys) {
        try {
            write(file, keys);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: keys file {}: cannot write it ({}); the change lasts until restart", route, file,
                    e.getClass().getSimpleName());
            return false;
        }
    }

    /** Replaces the file with these keys, one a line. */
    static void write(Path file, List<String> keys) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary;
        try {
            temporary = Files.createTempFile(directory, ".keys-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            temporary = Files.createTempFile(directory, ".keys-", ".tmp");
        }
        try {
            Files.writeString(temporary, String.join("\n", keys) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
