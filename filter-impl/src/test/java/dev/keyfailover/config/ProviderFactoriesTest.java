package dev.keyfailover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.provider.AnthropicProviderFactory;
import dev.keyfailover.provider.GenericProviderFactory;
import dev.keyfailover.provider.OpenAiProviderFactory;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.junit.jupiter.api.Test;

/** Issue 3: built-in providers are found through ServiceLoader, by type. */
class ProviderFactoriesTest {

    @Test
    void discoversTheBuiltInProvidersByType() {
        Map<String, ProviderFactory> factories = ProviderFactories.discover();

        assertThat(factories).containsKeys("openai", "anthropic", "generic");
        assertThat(factories.get("openai")).isInstanceOf(OpenAiProviderFactory.class);
        assertThat(factories.get("anthropic")).isInstanceOf(AnthropicProviderFactory.class);
        assertThat(factories.get("generic")).isInstanceOf(GenericProviderFactory.class);
        factories.forEach((type, factory) -> assertThat(factory.type()).isEqualTo(type));
    }

    @Test
    void findsTheBuiltInsEvenWithoutAThreadContextClassLoader() {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(null);
        try {
            assertThat(ProviderFactories.discover()).containsKeys("openai", "anthropic", "generic");
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    @Test
    void discoveredFactoriesBuildProvidersFromSettings() {
        ProviderSettings settings = new ProviderSettings("azure", URI.create("https://example.openai.azure.com"),
                Map.of("authHeader", "api-key", "errorFormat", "anthropic"));

        Provider provider = ProviderFactories.discover().get("generic").create(settings);

        assertThat(provider.name()).isEqualTo("azure");
        assertThat(provider.credentialHeaders()).containsExactly("api-key");
        HttpGet request = new HttpGet("https://example.openai.azure.com/x");
        provider.applyKey(request, "k1");
        assertThat(request.getFirstHeader("api-key").getValue()).isEqualTo("k1");
    }
}
