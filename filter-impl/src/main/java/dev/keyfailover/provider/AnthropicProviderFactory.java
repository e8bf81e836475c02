package dev.keyfailover.provider;

import java.util.List;

import dev.keyfailover.api.ErrorFormat;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;

/** {@code anthropic}: key as {@code X-Api-Key}; BYOK when {@code X-Api-Key} or {@code Authorization} is present. */
public final class AnthropicProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return "anthropic";
    }

    @Override
    public Provider create(ProviderSettings settings) {
        return new HeaderKeyProvider(settings.name(), "X-Api-Key", null,
                settings.byokHeaders(List.of("X-Api-Key", "Authorization")), ErrorFormat.ANTHROPIC,
                settings.failoverRules());
    }
}
