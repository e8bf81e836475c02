package dev.keyfailover.provider;

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
        return HeaderKeySettings.BEARER.provider(settings);
    }
}
