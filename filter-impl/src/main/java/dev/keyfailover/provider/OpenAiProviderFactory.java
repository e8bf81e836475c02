package dev.keyfailover.provider;

import java.util.List;

import dev.keyfailover.api.ErrorFormat;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;

/** {@code openai}: key as {@code Authorization: Bearer <key>}; BYOK when {@code Authorization} is present. */
public final class OpenAiProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return "openai";
    }

    @Override
    public Provider create(ProviderSettings settings) {
        return new HeaderKeyProvider(settings.name(), "Authorization", "Bearer",
                settings.byokHeaders(List.of("Authorization")), ErrorFormat.OPENAI, settings.failoverRules());
    }
}
