package dev.keyfailover.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.keyfailover.api.FailoverRules;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.ErrorFormat;
import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in provider types, found through {@link ServiceLoader} (behaviour.md §3, §5 and §8). */
class ProviderFactoriesTest {

    private static final String KEY = "sk-secret-factory-key-1234567890";
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private static Map<String, ProviderFactory> factories() {
        return ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(ProviderFactory::type, Function.identity()));
    }

    private static Provider create(String type, Map<String, String> properties) {
        return factories().get(type).create(new ProviderSettings("p-" + type, URI.create("https://api.example.test/"),
                properties));
    }

    private static ClassicHttpRequest request() {
        return ClassicRequestBuilder.post("https://api.example.test/v1/x").build();
    }

    @Test
    void serviceLoaderFindsEveryBuiltInType() {
        List<String> types = ServiceLoader.load(ProviderFactory.class).stream()
                .map(p -> p.get().type()).sorted().toList();

        // "acme" and "borealis" are the custom providers of docs/custom-providers.md, registered by the test sources.
        assertThat(types).containsExactly("acme", "anthropic", "azure-openai", "borealis", "deepseek", "gemini", "gemini-openai",
                "generic", "groq", "mistral", "openai", "openrouter", "xai");
        assertThat(factories().get("openai")).isInstanceOf(OpenAiProviderFactory.class);
        assertThat(factories().get("anthropic")).isInstanceOf(AnthropicProviderFactory.class);
        assertThat(factories().get("generic")).isInstanceOf(GenericProviderFactory.class);
    }

    @Test
    void openAiPutsTheKeyAsBearerAndIsByokOnAuthorization() {
        Provider provider = create("openai", Map.of());
        ClassicHttpRequest request = request();

        provider.applyKey(request, KEY);

        assertThat(request.getFirstHeader("Authorization").getValue()).isEqualTo("Bearer " + KEY);
        assertThat(provider.name()).isEqualTo("p-openai");
        assertThat(provider.credentialHeaders()).containsExactly("Authorization");
        assertThat(provider.isByok(request)).isTrue();
        assertThat(provider.isByok(request())).isFalse();
        ClassicHttpRequest xApiKey = request();
        xApiKey.addHeader("X-Api-Key", "k");
        assertThat(provider.isByok(xApiKey)).isFalse();
    }

    @Test
    void anthropicPutsTheKeyAsXApiKeyAndIsByokOnEitherHeader() {
        Provider provider = create("anthropic", Map.of());
        ClassicHttpRequest request = request();

        provider.applyKey(request, KEY);

        assertThat(request.getFirstHeader("X-Api-Key").getValue()).isEqualTo(KEY);
        assertThat(request.containsHeader("Authorization")).isFalse();
        assertThat(provider.credentialHeaders()).containsExactlyInAnyOrder("X-Api-Key", "Authorization");
        ClassicHttpRequest bearer = request();
        bearer.addHeader("authorization", "Bearer x");
        assertThat(provider.isByok(bearer)).isTrue();
        assertThat(provider.isByok(request)).isTrue();
        assertThat(provider.isByok(request())).isFalse();
    }

    @Test
    void genericDefaultsToBearerAuthorization() {
        Provider provider = create("generic", Map.of());
        ClassicHttpRequest request = request();

        provider.applyKey(request, KEY);

        assertThat(request.getFirstHeader("Authorization").getValue()).isEqualTo("Bearer " + KEY);
    }

    @Test
    void genericWithItsOwnHeaderSendsTheBareKey() {
        Provider provider = create("generic", Map.of("authHeader", "api-key"));
        ClassicHttpRequest request = request();

        provider.applyKey(request, KEY);

        assertThat(request.getFirstHeader("api-key").getValue()).isEqualTo(KEY);
        assertThat(request.containsHeader("Authorization")).isFalse();
        assertThat(provider.credentialHeaders()).containsExactly("api-key");
    }

    @Test
    void genericSchemeCanBeSetOrTurnedOff() {
        ClassicHttpRequest token = request();
        create("generic", Map.of("authScheme", "Token")).applyKey(token, KEY);
        assertThat(token.getFirstHeader("Authorization").getValue()).isEqualTo("Token " + KEY);

        ClassicHttpRequest none = request();
        create("generic", Map.of("authScheme", "none")).applyKey(none, KEY);
        assertThat(none.getFirstHeader("Authorization").getValue()).isEqualTo(KEY);
    }

    @Test
    void byokHeadersCanBeConfigured() {
        Provider provider = create("openai", Map.of("byokHeaders", "X-User-Key, Authorization"));
        ClassicHttpRequest request = request();
        request.addHeader("X-User-Key", "mine");

        assertThat(provider.byokHeaders()).containsExactly("X-User-Key", "Authorization");
        assertThat(provider.keyHeaders()).as("the pool key's header is the provider's own").containsExactly(
                "Authorization");
        assertThat(provider.credentialHeaders()).containsExactly("Authorization");
        assertThat(provider.isByok(request)).isTrue();
    }

    @Test
    void defaultRules() {
        Provider provider = create("openai", Map.of());

        assertThat(provider.failoverRules().on403()).isEqualTo(FailoverRules.On403.SKIP);
        assertThat(provider.failoverRules().extraStatuses()).isEmpty();
        assertThat(provider.judge(new BasicClassicHttpResponse(429), NOW))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(60)));
        assertThat(provider.judge(new BasicClassicHttpResponse(401), NOW)).isEqualTo(KeyVerdict.DISABLE);
        assertThat(provider.judge(new BasicClassicHttpResponse(403), NOW)).isEqualTo(KeyVerdict.SKIP);
        assertThat(provider.judge(new BasicClassicHttpResponse(500), NOW)).isEqualTo(KeyVerdict.ACCEPT);
        assertThat(provider.judge(new BasicClassicHttpResponse(529), NOW)).isEqualTo(KeyVerdict.ACCEPT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "generic"})
    void on403AndFailoverOnAreReadByEveryType(String type) {
        Provider disable = create(type, Map.of("on403", " Disable ", "failoverOn", "402:skip, 529 ,503:cooldown"));

        assertThat(disable.failoverRules().on403()).isEqualTo(FailoverRules.On403.DISABLE);
        assertThat(disable.failoverRules().extraStatuses()).containsExactlyInAnyOrderEntriesOf(Map.of(
                402, KeyVerdict.Action.SKIP, 529, KeyVerdict.Action.COOL_DOWN, 503, KeyVerdict.Action.COOL_DOWN));
        assertThat(disable.judge(new BasicClassicHttpResponse(403), NOW)).isEqualTo(KeyVerdict.DISABLE);
        BasicClassicHttpResponse overloaded = new BasicClassicHttpResponse(529);
        overloaded.addHeader("Retry-After", "12");
        assertThat(disable.judge(overloaded, NOW)).isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(12)));
        assertThat(disable.judge(new BasicClassicHttpResponse(402), NOW)).isEqualTo(KeyVerdict.SKIP);

        Provider pass = create(type, Map.of("on403", "pass"));
        assertThat(pass.judge(new BasicClassicHttpResponse(403), NOW)).isEqualTo(KeyVerdict.ACCEPT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "generic"})
    void badOn403IsRejectedNamingTheProperty(String type) {
        assertThatThrownBy(() -> create(type, Map.of("on403", "ignore")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("on403")
                .hasMessageContaining("ignore")
                .hasMessageNotContaining(KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "402:retry", "200", "429", "401:skip", "403", "700", "402:"})
    void badFailoverOnIsRejectedNamingTheProperty(String value) {
        for (String type : List.of("openai", "anthropic", "generic")) {
            assertThatThrownBy(() -> create(type, Map.of("failoverOn", value)))
                    .as("%s failoverOn=%s", type, value)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("failoverOn")
                    .hasMessageNotContaining(KEY);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gemini", "openai-ish", "xml"})
    void badErrorFormatIsRejectedNamingTheProperty(String value) {
        assertThatThrownBy(() -> create("generic", Map.of("errorFormat", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("errorFormat")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void errorFormatSelectsTheShape() throws Exception {
        Provider anthropicShaped = create("generic", Map.of("errorFormat", "anthropic"));
        Provider openAiShaped = create("generic", Map.of());

        assertThat(shapeOf(anthropicShaped)).isEqualTo(shapeOf(ErrorFormat.ANTHROPIC));
        assertThat(shapeOf(openAiShaped)).isEqualTo(shapeOf(ErrorFormat.OPENAI));
        assertThat(shapeOf(create("openai", Map.of()))).isEqualTo(shapeOf(ErrorFormat.OPENAI));
        assertThat(shapeOf(create("anthropic", Map.of()))).isEqualTo(shapeOf(ErrorFormat.ANTHROPIC));
        assertThat(shapeOf(ErrorFormat.ANTHROPIC)).isNotEqualTo(shapeOf(ErrorFormat.OPENAI));
    }

    private static final KeyPoolExhaustion LIMITED = new KeyPoolExhaustion("p", KeyPoolExhaustion.Kind.RATE_LIMITED,
            java.time.Duration.ofSeconds(3));

    private static String shapeOf(Provider provider) throws Exception {
        return org.apache.hc.core5.http.io.entity.EntityUtils.toString(provider.exhaustedResponse(LIMITED).getEntity());
    }

    private static String shapeOf(ErrorFormat format) throws Exception {
        return org.apache.hc.core5.http.io.entity.EntityUtils.toString(format.exhausted(LIMITED).getEntity());
    }

    @ParameterizedTest
    @ValueSource(strings = {"api key", "a,b", "x:y"})
    void badAuthHeaderIsRejected(String value) {
        assertThatThrownBy(() -> create("generic", Map.of("authHeader", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(KEY);
    }

    @Test
    void badAuthSchemeIsRejectedNamingTheProperty() {
        assertThatThrownBy(() -> create("generic", Map.of("authScheme", "Bearer token")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("authScheme");
    }

    @Test
    void blankPropertiesMeanDefaults() {
        Map<String, String> blanks = new HashMap<>();
        blanks.put("on403", " ");
        blanks.put("failoverOn", "");
        blanks.put("errorFormat", "  ");

        Provider provider = create("generic", blanks);

        assertThat(provider.failoverRules().on403()).isEqualTo(FailoverRules.On403.SKIP);
        assertThat(provider.failoverRules().extraStatuses()).isEmpty();
    }

    @Test
    void toStringShowsNoKey() {
        for (String type : List.of("openai", "anthropic", "generic")) {
            assertThat(create(type, Map.of()).toString()).doesNotContain(KEY);
        }
    }
}
