package dev.keyfailover.api;

import java.io.StringReader;
import java.util.Locale;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;

/**
 * The fields of a provider's error answer that say what kind of failure it is: {@code error.type},
 * {@code error.code} and {@code error.message}, as OpenAI
 * ({@code {"error":{"message","type","code"}}}) and Anthropic
 * ({@code {"type":"error","error":{"type","message"}}}) write them. Anything unreadable reads as
 * empty: an error body never causes an error of its own.
 */
record ErrorBody(String type, String code, String message) {

    private static final ErrorBody EMPTY = new ErrorBody("", "", "");

    static ErrorBody parse(String json) {
        if (json == null || json.isBlank()) {
            return EMPTY;
        }
        String type = "";
        String code = "";
        String message = "";
        try (JsonParser parser = Jsons.parser(new StringReader(json))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return EMPTY;
            }
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                if (event == JsonParser.Event.END_OBJECT) {
                    break;
                }
                if (event != JsonParser.Event.KEY_NAME) {
                    continue;
                }
                String key = parser.getString();
                JsonParser.Event value = parser.next();
                if (key.equals("error") && value == JsonParser.Event.START_OBJECT) {
                    while (parser.hasNext() && (event = parser.next()) != JsonParser.Event.END_OBJECT) {
                        if (event != JsonParser.Event.KEY_NAME) {
                            continue;
                        }
                        String field = parser.getString();
                        JsonParser.Event fieldValue = parser.next();
                        if (fieldValue == JsonParser.Event.VALUE_STRING) {
                            switch (field) {
                                case "type" -> type = parser.getString();
                                case "code" -> code = parser.getString();
                                case "message" -> message = parser.getString();
                                default -> { }
                            }
                        } else if (fieldValue == JsonParser.Event.START_OBJECT) {
                            parser.skipObject();
                        } else if (fieldValue == JsonParser.Event.START_ARRAY) {
                            parser.skipArray();
                        }
                    }
                } else if (value == JsonParser.Event.START_OBJECT) {
                    parser.skipObject();
                } else if (value == JsonParser.Event.START_ARRAY) {
                    parser.skipArray();
                }
            }
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            // Not JSON, or cut at the read limit: whatever was read before stands.
        }
        return new ErrorBody(type, code, message);
    }

    /** Whether the type or the code is this one. */
    boolean is(String kind) {
        return type.equals(kind) || code.equals(kind);
    }

    boolean messageStartsWith(String prefix) {
        return message.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    boolean messageMentions(String words) {
        return message.toLowerCase(Locale.ROOT).contains(words);
    }
}
