package dev.keyfailover.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * A list a route takes inline or from a file, never both ({@code keys} / {@code keysFile},
 * {@code clientTokens} / {@code clientTokensFile}): its text, and the file it was read from.
 *
 * @param parameter the parameter that gave it, for error messages
 * @param text the list's text
 * @param file the file read; {@code null} when given inline
 */
record InlineOrFile(String parameter, String text, Path file) {

    /** The list, read from its file when one is named; empty when neither parameter is set. */
    static Optional<InlineOrFile> read(ParameterReader reader, String inline, String fromFile) throws ConfigException {
        Optional<String> given = reader.optional(inline);
        Optional<String> file = reader.optional(fromFile);
        if (given.isPresent() && file.isPresent()) {
            throw reader.error(inline, "and '" + fromFile + "' are both set; use one");
        }
        if (file.isEmpty()) {
            return given.map(text -> new InlineOrFile(inline, text, null));
        }
        Path path = Paths.get(file.get());
        try {
            return Optional.of(new InlineOrFile(fromFile, Files.readString(path, StandardCharsets.UTF_8), path));
        } catch (IOException | RuntimeException e) {
            throw reader.error(fromFile, "cannot read '" + path + "' (" + e.getClass().getSimpleName() + ")");
        }
    }

    boolean fromFile() {
        return file != null;
    }
}
