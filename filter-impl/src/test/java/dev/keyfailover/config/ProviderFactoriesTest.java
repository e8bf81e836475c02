package dev.keyfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.provider.AnthropicProviderFactory;
import dev.keyfailover.provider.GenericProviderFactory;
import dev.keyfailover.provider.OpenAiProviderFactory;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3: built-in providers are found through ServiceLoader, by type. */
class ProviderFactoriesTest {

    private static final String WHERE = "servlet 'test'";

    @Test
    void findsTheBuiltInProvidersByType() throws Exception {
        assertThat(ProviderFactories.require(WHERE, "openai")).isInstanceOf(OpenAiProviderFactory.class);
        assertThat(ProviderFactories.require(WHERE, "anthropic")).isInstanceOf(AnthropicProviderFactory.class);
        assertThat(ProviderFactories.require(WHERE, "generic")).isInstanceOf(GenericProviderFactory.class);
        for (String type : List.of("openai", "anthropic", "generic")) {
            assertThat(ProviderFactories.require(WHERE, type).type()).isEqualTo(type);
        }
    }

    @Test
    void findsTheBuiltInsEvenWithoutAThreadContextClassLoader() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(null);
        try {
            for (String type : List.of("openai", "anthropic", "generic")) {
                assertThat(ProviderFactories.require(WHERE, type).type()).isEqualTo(type);
            }
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    @Test
    void discoveredFactoriesBuildProvidersFromSettings() throws Exception {
        ProviderSettings settings = new ProviderSettings("azure", URI.create("https://example.openai.azure.com"),
                Map.of("authHeader", "api-key", "errorFormat", "anthropic"));

        Provider provider = ProviderFactories.require(WHERE, "generic").create(settings);

        assertThat(provider.name()).isEqualTo("azure");
        assertThat(provider.credentialHeaders()).containsExactly("api-key");
        HttpGet request = new HttpGet("https://example.openai.azure.com/x");
        provider.applyKey(request, "k1");
        assertThat(request.getFirstHeader("api-key").getValue()).isEqualTo("k1");
    }

    @Test
    void aBrokenFactoryIsRememberedAndTheOthersAreStillFound(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = BrokenFactories.loader(dir)) {
            ProviderFactories.Discovery found = ProviderFactories.discover(List.of(loader));

            assertThat(found.byType()).containsOnlyKeys("openai", "anthropic", "generic", "azure-openai", "groq",
                    "mistral", "deepseek", "openrouter", "xai", "gemini", "gemini-openai", "acme", "borealis", "late");
            assertThat(found.broken()).hasSize(2);
            assertThat(found.broken()).anySatisfy(error -> assertThat(error)
                    .contains(BrokenFactories.MISSING, "not found"));
            assertThat(found.broken()).anySatisfy(error -> assertThat(error)
                    .contains(BrokenFactories.Throwing.class.getName(), "no licence file in /etc/acme"));
        }
    }

    @Test
    void aRouteNamingATypeNoFactoryLoadedIsToldWhichFactoriesAreBrokenAndWhy(@TempDir Path dir) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        try (URLClassLoader loader = BrokenFactories.loader(dir)) {
            thread.setContextClassLoader(loader);

            assertThat(ProviderFactories.require("servlet 'late'", "late")).isInstanceOf(BrokenFactories.Late.class);
            assertThat(ProviderFactories.require("servlet 'chat'", "openai")).isInstanceOf(OpenAiProviderFactory.class);
            assertThatThrownBy(() -> ProviderFactories.require("servlet 'acme-eu'", "throwing"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("servlet 'acme-eu': parameter 'provider' names unknown type 'throwing'")
                    .hasMessageContaining(BrokenFactories.Throwing.class.getName() + " could not be instantiated")
                    .hasMessageContaining("IllegalStateException: no licence file in /etc/acme")
                    .hasMessageContaining(BrokenFactories.MISSING + " not found");
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    @Test
    void anUnknownTypeWithNothingBrokenSaysOnlyWhichTypesAreKnown() {
        assertThatThrownBy(() -> ProviderFactories.require("filter 'f'", "palm"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filter 'f': parameter 'provider' names unknown type 'palm'; known types: ")
                .hasMessageContaining("openai")
                .hasMessageNotContaining("could not be loaded");
    }
}
