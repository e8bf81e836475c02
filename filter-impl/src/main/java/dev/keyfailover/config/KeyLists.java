package dev.keyfailover.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pool keys of a route, from {@code keys} (comma- or newline-separated) or {@code keysFile}
 * (one per line): a blank or repeated entry is an error naming its index, never the key.
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
            return split(reader, "keysFile", text);
        }
        return inline.isPresent() ? split(reader, "keys", inline.get()) : List.of();
    }

    private static List<String> split(ParameterReader reader, String parameter, String text) throws ConfigException {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return List.of();
        }
        String[] parts = trimmed.split("\\r?\\n|,", -1);
        List<String> keys = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            String key = parts[i].strip();
            if (key.isEmpty()) {
                throw reader.error(parameter, "the key at index " + i + " is blank");
            }
            int earlier = keys.indexOf(key);
            if (earlier >= 0) {
                throw reader.error(parameter, "the key at index " + i + " repeats the key at index " + earlier);
            }
            keys.add(key);
        }
        return List.copyOf(keys);
    }
}
