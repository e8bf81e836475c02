package dev.keyfailover.provider;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;

/**
 * {@code gemini-openai} (behaviour.md §15): Gemini's OpenAI-compatible endpoint. The key as
 * {@code Authorization: Bearer}; {@code x-goog-api-key} is a credential too (stripped, masked,
 * BYOK). The model is the body's {@code "model"}; errors in OpenAI's shape. Its error answers are
 * Google's error object inside a JSON array, read as the native API's ({@link GeminiJudge}). The
 * base URL preset is the address an OpenAI SDK is given for it, so clients call
 * {@code <route>/chat/completions}. Every default is overridable as for the generic provider.
 */
public final class GeminiOpenAiProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return "gemini-openai";
    }

    @Override
    public Optional<URI> defaultBaseUrl() {
        return Optional.of(URI.create("https://generativelanguage.googleapis.com/v1beta/openai"));
    }

    @Override
    public Provider create(ProviderSettings settings) {
        return HeaderKeySettings.BEARER.withAuthHeader("Authorization", List.of("x-goog-api-key"))
                .withJudge(GeminiJudge.INSTANCE).provider(settings);
    }
}
