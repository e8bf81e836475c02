package dev.keyfailover.config;

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
        Optional<InlineOrFile> given = InlineOrFile.read(reader, "keys", "keysFile");
        if (given.isEmpty()) {
            return List.of();
        }
        if (!given.get().fromFile()) {
            return split(reader, "keys", given.get().text());
        }
        if (given.get().text().isBlank()) {
            return List.of();
        }
        try {
            return KeysFileFormat.parse(given.get().text());
        } catch (IllegalArgumentException e) {
            throw reader.error("keysFile", "'" + given.get().file() + "': " + e.getMessage());
        }
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
