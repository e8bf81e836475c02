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
        List<String> credentials = List.of("Authorization");
        return new HeaderKeyProvider(settings.name(), "Authorization", "Bearer", credentials,
                settings.byokHeaders(credentials), ErrorFormat.OPENAI, settings.failoverRules());
    }
}
