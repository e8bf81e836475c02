package dev.keyfailover.provider;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;

/**
 * {@code gemini} (behaviour.md §15): Gemini's native API. The key only in {@code x-goog-api-key};
 * a client's {@code ?key=} or {@code x-goog-api-key} (or an OAuth token in {@code Authorization}) is
 * its own credential. Base URL preset {@code https://generativelanguage.googleapis.com}, so clients
 * call {@code <route>/v1beta/models/{model}:{method}}. {@code byokHeaders}, {@code on403} and
 * {@code failoverOn} apply as for every provider.
 */
public final class GeminiProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return "gemini";
    }

    @Override
    public Optional<URI> defaultBaseUrl() {
        return Optional.of(URI.create("https://generativelanguage.googleapis.com"));
    }

    @Override
    public Provider create(ProviderSettings settings) {
        return new GeminiProvider(settings.name(), settings.byokHeaders(GeminiProvider.CREDENTIALS),
                settings.failoverRules());
    }
}
