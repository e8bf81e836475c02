package dev.keyfailover.api;

import java.io.Reader;
import java.util.Map;

import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

/**
 * The JSON-P provider of this module, looked up once: each of {@link jakarta.json.Json}'s factory
 * methods looks the provider up again (a ServiceLoader scan), which would happen on every error body
 * read and every error answer written. filter-impl has its own ({@code dev.keyfailover.chain.Jsons}).
 */
final class Jsons {

    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());

    private Jsons() {
    }

    static JsonObjectBuilder objectBuilder() {
        return BUILDERS.createObjectBuilder();
    }

    static JsonParser parser(Reader json) {
        return PARSERS.createParser(json);
    }
}
