package dev.keyfailover.chain;

import java.io.InputStream;
import java.util.Map;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

/**
 * The JSON-P provider of filter-impl, looked up once: each of {@link jakarta.json.Json}'s factory
 * methods looks the provider up again (a ServiceLoader scan), which would happen on every answer
 * the proxy makes itself and every full parse of a request body. In {@code chain}, the first
 * package that writes JSON, so that the later ones ({@code servlet}) use it too.
 */
public final class Jsons {

    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());

    private Jsons() {
    }

    public static JsonObjectBuilder objectBuilder() {
        return BUILDERS.createObjectBuilder();
    }

    public static JsonArrayBuilder arrayBuilder() {
        return BUILDERS.createArrayBuilder();
    }

    /** A reader of a whole JSON document (the admin API's bodies). */
    public static jakarta.json.JsonReader reader(InputStream json) {
        return PROVIDER.createReader(json);
    }

    /** A parser of a body in any of the encodings JSON allows (UTF-8, -16 or -32, detected from its first bytes). */
    static JsonParser parser(InputStream json) {
        return PARSERS.createParser(json);
    }
}
