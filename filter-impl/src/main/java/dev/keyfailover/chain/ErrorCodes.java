package dev.keyfailover.chain;

import java.util.HashSet;
import java.util.Set;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;

/**
 * The error type, code and status an answer's body names (OpenAI {@code error.type} and
 * {@code error.code}, Anthropic {@code error.type}, Gemini {@code error.status}), to match a
 * route's {@code fallbackOn} (behaviour.md §18). Anything unreadable names nothing.
 */
final class ErrorCodes {

    private ErrorCodes() {
    }

    static Set<String> of(String body) {
        Set<String> codes = new HashSet<>();
        if (body == null || body.isBlank()) {
            return codes;
        }
        try (JsonParser parser = Jsons.parser(new java.io.ByteArrayInputStream(
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
            if (parser.hasNext() && parser.next() == JsonParser.Event.START_OBJECT) {
                JsonValue error = parser.getObject().get("error");
                if (error instanceof JsonObject object) {
                    for (String field : new String[] {"type", "code", "status"}) {
                        if (object.get(field) instanceof JsonString value) {
                            codes.add(value.getString());
                        }
                    }
                }
            }
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            // Not JSON, or cut at the read limit: it names nothing.
        }
        return codes;
    }
}
