package dev.keyfailover.provider;

import java.util.List;

import dev.keyfailover.api.ErrorFormat;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;

/**
 * {@code anthropic}: key as {@code X-Api-Key}; the API takes a credential in {@code X-Api-Key} or
 * {@code Authorization}, so either makes a request BYOK (unless {@code byokHeaders} says otherwise)
 * and both are stripped from a pool request.
 */
public final class AnthropicProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return "anthropic";
    }

    @Override
    public Provider create(ProviderSettings settings) {
        List<String> credentials = List.of("X-Api-Key", "Authorization");
        return new HeaderKeyProvider(settings.name(), "X-Api-Key", null, credentials,
                settings.byokHeaders(credentials), ErrorFormat.ANTHROPIC, settings.failoverRules());
    }
}
