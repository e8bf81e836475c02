package dev.keyfailover.servlet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.keyfailover.chain.Jsons;
import dev.keyfailover.config.KeysFileFormat;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The body of an add (behaviour.md §14): {@code {"keys":[{"key":"…","label":"…"}]}} or text, one
 * key a line. Memory is bounded: the body is read up to {@link #MAX_BYTES} (past it, 413), an add
 * holds at most {@link #MAX_KEYS} keys of at most {@link #MAX_KEY_LENGTH} characters, so one add
 * holds at most 4 MiB of body plus its parse (a few times that) at once. Every problem is named by
 * position, never by the key.
 */
final class KeysBody {

    static final int MAX_BYTES = 4 * 1024 * 1024;
    static final int MAX_KEYS = 10_000;
    static final int MAX_KEY_LENGTH = 1_024;

    /** A body the admin API refuses: the status (400 or 413) and why. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    final List<String> keys = new ArrayList<>();
    final List<String> labels = new ArrayList<>();

    private KeysBody() {
    }

    static KeysBody read(HttpServletRequest request) throws IOException, Refused {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BYTES) {
            throw new Refused(413, "the body is larger than " + MAX_BYTES + " bytes");
        }
        byte[] body = bounded(request.getInputStream());
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        KeysBody parsed = new KeysBody();
        if (type.startsWith("text/plain")) {
            parsed.text(new String(body, StandardCharsets.UTF_8));
        } else {
            parsed.json(body);
        }
        if (parsed.keys.isEmpty()) {
            throw new Refused(400, "the body holds no key");
        }
        return parsed;
    }

    private static byte[] bounded(InputStream in) throws IOException, Refused {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        for (int read; (read = in.read(buffer)) != -1; ) {
            if (out.size() + read > MAX_BYTES) {
                throw new Refused(413, "the body is larger than " + MAX_BYTES + " bytes");
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private void text(String text) throws Refused {
        String[] lines = text.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String key = lines[i].strip();
            if (!key.isEmpty()) {
                add(key, "", "line " + (i + 1));
            }
        }
    }

    private void json(byte[] body) throws Refused {
        JsonValue root;
        try (JsonReader reader = Jsons.reader(new ByteArrayInputStream(body))) {
            root = reader.readValue();
        } catch (JsonParsingException e) {
            throw new Refused(400, "the body is not valid JSON (line " + e.getLocation().getLineNumber() + ", column "
                    + e.getLocation().getColumnNumber() + ")");
        } catch (JsonException e) {
            throw new Refused(400, "the body is not valid JSON");
        }
        if (!(root instanceof JsonObject object) || !(object.get("keys") instanceof JsonArray entries)) {
            throw new Refused(400, "the body must be {\"keys\":[{\"key\":\"...\",\"label\":\"...\"}]}");
        }
        for (int i = 0; i < entries.size(); i++) {
            String where = "keys[" + i + "]";
            if (!(entries.get(i) instanceof JsonObject entry) || !(entry.get("key") instanceof JsonString key)) {
                throw new Refused(400, where + " must be an object with a string \"key\"");
            }
            JsonValue label = entry.get("label");
            if (label != null && label != JsonValue.NULL && !(label instanceof JsonString)) {
                throw new Refused(400, where + ".label must be a string");
            }
            String text = label instanceof JsonString named ? named.getString() : "";
            if (text.length() > 200 || KeysFileFormat.problem(text.replace(' ', '_')) != null) {
                throw new Refused(400, where + ".label must be at most 200 printable characters");
            }
            add(key.getString(), text, where);
        }
    }

    private void add(String key, String label, String where) throws Refused {
        if (keys.size() == MAX_KEYS) {
            throw new Refused(413, "an add takes at most " + MAX_KEYS + " keys");
        }
        if (key.isEmpty()) {
            throw new Refused(400, where + ": the key is empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new Refused(400, where + ": the key is longer than " + MAX_KEY_LENGTH + " characters");
        }
        String problem = KeysFileFormat.problem(key);
        if (problem != null) {
            throw new Refused(400, where + ": the key " + problem);
        }
        keys.add(key);
        labels.add(label);
    }
}
