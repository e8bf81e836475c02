package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.pool.KeyHint;
import dev.keyfailover.provider.GenericProviderFactory;
import org.junit.jupiter.api.Test;

/** Masking of credentials in dumps and logs (behaviour.md §7). */
class CredentialMaskerTest {

    private static final String KEY = "sk-proj-abcdefghijklmnop9xQa";
    private final CredentialMasker masker = CredentialMasker.of(new GenericProviderFactory().create(
            new ProviderSettings("custom", URI.create("http://upstream.test"), Map.of("authHeader", "X-Custom-Key"))));

    @Test
    void bearerValueKeepsTheSchemeAndShowsOnlyAHint() {
        assertThat(masker.headerValue("Authorization", "Bearer " + KEY)).isEqualTo("Bearer sk-p…9xQa");
        assertThat(masker.headerValue("authorization", "Bearer " + KEY)).doesNotContain(KEY);
    }

    @Test
    void credentialHeadersAreMaskedWhateverTheirCase() {
        for (String header : List.of("X-Api-Key", "x-api-key", "api-key", "x-goog-api-key", "X-Custom-Key",
                "Proxy-Authorization", "Cookie")) {
            assertThat(masker.headerValue(header, KEY)).as(header).isEqualTo(KeyHint.of(KEY));
        }
    }

    @Test
    void otherHeadersAreLeftAlone() {
        assertThat(masker.headerValue("Content-Type", "application/json")).isEqualTo("application/json");
        assertThat(masker.headerValue("anthropic-version", "2023-06-01")).isEqualTo("2023-06-01");
    }

    @Test
    void shortKeysAreFullyMasked() {
        assertThat(masker.headerValue("X-Api-Key", "short-key")).isEqualTo("****");
        assertThat(masker.headerValue("Authorization", "Bearer abc")).isEqualTo("Bearer ****");
    }

    @Test
    void keyLikeQueryParametersAreMasked() {
        String masked = masker.uri("https://host/v1/models?alt=json&key=" + KEY + "&api_key=" + KEY + "&x=1");

        assertThat(masked).doesNotContain(KEY)
                .isEqualTo("https://host/v1/models?alt=json&key=sk-p…9xQa&api_key=sk-p…9xQa&x=1");
        assertThat(masker.uri("https://host/v1/chat?stream=true")).isEqualTo("https://host/v1/chat?stream=true");
    }
}
