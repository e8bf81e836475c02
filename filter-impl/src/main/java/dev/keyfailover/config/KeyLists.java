package dev.keyfailover.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.keyfailover.pool.KeyList;

/**
 * The pool keys of a route, from {@code keys} (comma- or newline-separated) or {@code keysFile}
 * (one per line, {@link KeysFileFormat}), checked by the pool's one rule ({@link KeyList}).
 */
final class KeyLists {

    private KeyLists() {
    }

    static List<String> read(ParameterReader reader) throws ConfigException {
        Optional<String> inline = reader.optional("keys");
        Optional<String> file = reader.optional("keysFile");
        if (inline.isPresent() && file.isPresent()) {
            throw reader.error("keys", "and 'keysFile' are both set; use one");
        }
        if (file.isPresent()) {
            Path path = Paths.get(file.get());
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw reader.error("keysFile", "cannot read '" + path + "' (" + e.getClass().getSimpleName() + ")");
            }
            if (text.isBlank()) {
                return List.of();
            }
            try {
                return KeysFileFormat.parse(text);
            } catch (IllegalArgumentException e) {
                throw reader.error("keysFile", "'" + path + "': " + e.getMessage());
            }
        }
        return inline.isPresent() ? split(reader, "keys", inline.get()) : List.of();
    }

    private static List<String> split(ParameterReader reader, String parameter, String text) throws ConfigException {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        for (String part : trimmed.split("\\r?\\n|,", -1)) {
            keys.add(part.strip());
        }
        try {
            KeyList.check(keys);
        } catch (IllegalArgumentException e) {
            throw reader.error(parameter, e.getMessage());
        }
        return List.copyOf(keys);
    }
}
