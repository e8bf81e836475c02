package dev.keyfailover.provider;

import java.util.List;

import dev.keyfailover.api.ErrorFormat;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;

/**
 * {@code generic}: for APIs that differ only in their auth header (Azure OpenAI {@code api-key},
 * Gemini {@code x-goog-api-key}, Mistral, Groq or OpenRouter {@code Authorization: Bearer}).
 * Properties: {@code authHeader} (default {@code Authorization}), {@code authScheme} (default
 * {@code Bearer} for {@code Authorization}, none otherwise; {@code none} for none),
 * {@code errorFormat} ({@code openai} default, or {@code anthropic}).
 */
public final class GenericProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return "generic";
    }

    @Override
    public Provider create(ProviderSettings settings) {
        List<String> authHeaders = settings.headerNames("authHeader", List.of("Authorization"));
        if (authHeaders.size() != 1) {
            throw new IllegalArgumentException("authHeader must name one header, not '"
                    + settings.property("authHeader", "") + "'");
        }
        String authHeader = authHeaders.get(0);
        String defaultScheme = authHeader.equalsIgnoreCase("Authorization") ? "Bearer" : "none";
        String scheme = settings.property("authScheme", defaultScheme);
        if (!scheme.matches("[A-Za-z0-9._~+/-]+")) {
            throw new IllegalArgumentException("authScheme must be one token such as 'Bearer', not '" + scheme + "'");
        }
        ErrorFormat format = ErrorFormat.parse(settings.property("errorFormat", "openai"));
        return new HeaderKeyProvider(settings.name(), authHeader, scheme.equalsIgnoreCase("none") ? null : scheme,
                List.of(authHeader), settings.byokHeaders(List.of(authHeader)), format, settings.failoverRules());
    }
}
