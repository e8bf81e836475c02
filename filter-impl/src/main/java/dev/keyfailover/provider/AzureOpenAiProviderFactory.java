package dev.keyfailover.provider;

import java.util.List;

import dev.keyfailover.api.ModelSource;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;

/**
 * {@code azure-openai} (behaviour.md §15): the key in {@code api-key}; the API also takes an Entra ID
 * token in {@code Authorization}, so either makes a request BYOK and both are stripped from a pool
 * request. The model is the deployment, from {@code /openai/deployments/{deployment}/} (Azure limits
 * rates per deployment, whatever model the body names); {@code retry-after-ms} and
 * {@code x-ms-retry-after-ms} give a 429's wait ({@link dev.keyfailover.api.RetryHints}). No base
 * URL preset: each resource has its own. Every default is overridable as for the generic provider.
 */
public final class AzureOpenAiProviderFactory implements ProviderFactory {

    /** The deployment in the path; never the body's {@code "model"}. */
    static final ModelSource DEPLOYMENT = new ModelSource(null, List.of("/deployments/"));

    @Override
    public String type() {
        return "azure-openai";
    }

    @Override
    public Provider create(ProviderSettings settings) {
        return HeaderKeySettings.BEARER.withAuthHeader("api-key", List.of("Authorization"))
                .withModelSource(DEPLOYMENT).provider(settings);
    }
}
