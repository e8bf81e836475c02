package dev.keyfailover.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Writes a route's keys back to its keys file (behaviour.md §14): a new file beside it, readable
 * and writable by the owner only, moved over the old one in one atomic step, so a reader (this
 * proxy's watcher, another node) never sees half a file.
 */
final class KeysFileStore {

    private KeysFileStore() {
    }

    /** Whether adds and removes can be written back: a plain file (no Secret-volume symlink) in a writable directory. */
    static boolean writable(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        return Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.isWritable(file)
                && directory != null && Files.isWritable(directory);
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
