package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.pool.PoolSettings;
import dev.keyfailover.provider.AnthropicProviderFactory;
import dev.keyfailover.provider.OpenAiProviderFactory;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bring your own key: one attempt with the client's credential, or the pool when BYOK is off (SPEC section 5). */
class ByokTest {

    private static final String K1 = "sk-pool-first-key-00000000001";
    private static final String K2 = "sk-pool-second-key-0000000002";
    private static final String USER_KEY = "sk-user-own-key-999999999999";

    private final MutableClock clock = MutableClock.atFixedStart();
    private FakeUpstream upstream;
    private ProviderClient client;
    private KeyPool pool;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        upstream.on(K1, FakeUpstream.ok("{\"by\":\"pool-1\"}")).on(K2, FakeUpstream.ok("{\"by\":\"pool-2\"}"));
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        upstream.close();
    }

    private void client(Provider provider, boolean byokAllowed) {
        pool = new KeyPool(provider.name(), List.of(K1, K2), clock, PoolSettings.defaults());
        client = ProviderClient.create(provider, pool, null, new FailoverSettings(byokAllowed, BodyLimits.defaults()),
                ClientSettings.defaults().withResponseTimeout(Duration.ofSeconds(5)), clock);
    }

    private Provider openAi() {
        return new OpenAiProviderFactory().create(
                new ProviderSettings("openai", upstream.baseUri(), List.of(K1, K2), Map.of()));
    }

    private Provider anthropic() {
        return new AnthropicProviderFactory().create(
                new ProviderSettings("anthropic", upstream.baseUri(), List.of(K1, K2), Map.of()));
    }

    private ClassicHttpRequest post(String header, String value) {
        return ClassicRequestBuilder.post(upstream.baseUri().resolve("/v1/chat/completions"))
                .addHeader(header, value)
                .setEntity(new StringEntity("{\"q\":1}", ContentType.APPLICATION_JSON))
                .build();
    }

    private String send(ClassicHttpRequest request, HttpClientContext context) throws Exception {
        try (ClassicHttpResponse response = client.httpClient().executeOpen(null, request, context)) {
            return response.getCode() + " " + EntityUtils.toString(response.getEntity());
        }
    }

    private void assertPoolUntouched() {
        assertThat(pool.snapshot()).allSatisfy(key -> {
            assertThat(key.state()).isEqualTo(KeyState.VALID);
            assertThat(key.attempts()).isZero();
        });
    }

    @Test
    void openAiClientCredentialIsSentOnceUntouchedEvenWhenRateLimited() throws Exception {
        upstream.on(USER_KEY, FakeUpstream.json(429, "{\"error\":\"yours is limited\"}").withHeader("Retry-After", "40"));
        client(openAi(), true);
        HttpClientContext context = HttpClientContext.create();

        assertThat(send(post("Authorization", "Bearer " + USER_KEY), context))
                .isEqualTo("429 {\"error\":\"yours is limited\"}");

        assertThat(upstream.requests()).singleElement()
                .satisfies(r -> assertThat(r.headerValues("Authorization")).containsExactly("Bearer " + USER_KEY));
        assertPoolUntouched();
        assertThat(context.getAttribute(ExchangeAttributes.BYOK)).isEqualTo(true);
        assertThat(context.getAttribute(ExchangeAttributes.KEY_HINT)).isNull();
    }

    @Test
    void openAiClientCredentialGetsNoFailoverOn401() throws Exception {
        upstream.on(USER_KEY, FakeUpstream.status(401));
        client(openAi(), true);

        assertThat(send(post("Authorization", "Bearer " + USER_KEY), HttpClientContext.create())).startsWith("401 ");

        assertThat(upstream.keysSeen()).containsExactly(USER_KEY);
        assertPoolUntouched();
    }

    @Test
    void anthropicByokByXApiKeyOrAuthorization() throws Exception {
        upstream.on(USER_KEY, FakeUpstream.ok("{\"by\":\"user\"}"));
        client(anthropic(), true);

        assertThat(send(post("X-Api-Key", USER_KEY), HttpClientContext.create())).isEqualTo("200 {\"by\":\"user\"}");
        assertThat(send(post("Authorization", "Bearer " + USER_KEY), HttpClientContext.create()))
                .isEqualTo("200 {\"by\":\"user\"}");

        assertThat(upstream.requests()).hasSize(2);
        assertThat(upstream.requests().get(0).headerValues("X-Api-Key")).containsExactly(USER_KEY);
        assertThat(upstream.requests().get(0).header("Authorization")).isNull();
        assertThat(upstream.requests().get(1).headerValues("Authorization")).containsExactly("Bearer " + USER_KEY);
        assertThat(upstream.requests().get(1).header("X-Api-Key")).isNull();
        assertPoolUntouched();
    }

    @Test
    void withByokOffTheClientCredentialIsStrippedAndThePoolUsed() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("5"));
        client(openAi(), false);
        HttpClientContext context = HttpClientContext.create();

        assertThat(send(post("Authorization", "Bearer " + USER_KEY), context)).isEqualTo("200 {\"by\":\"pool-2\"}");

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(upstream.requests()).allSatisfy(r -> {
            assertThat(r.headerValues("Authorization")).hasSize(1);
            assertThat(r.header("Authorization")).doesNotContain(USER_KEY);
        });
        assertThat(pool.snapshot().get(0).state()).isEqualTo(KeyState.COOLING);
        assertThat(context.getAttribute(ExchangeAttributes.BYOK)).isEqualTo(false);
    }

    @Test
    void withByokOffAnthropicStripsEveryClientCredential() throws Exception {
        client(anthropic(), false);
        ClassicHttpRequest request = post("X-Api-Key", USER_KEY);
        request.addHeader("Authorization", "Bearer " + USER_KEY);

        assertThat(send(request, HttpClientContext.create())).isEqualTo("200 {\"by\":\"pool-1\"}");

        assertThat(upstream.requests()).singleElement().satisfies(r -> {
            assertThat(r.headerValues("X-Api-Key")).containsExactly(K1);
            assertThat(r.header("Authorization")).isNull();
        });
        assertThat(pool.snapshot()).extracting(KeySnapshot::attempts).containsExactly(1L, 0L);
    }

    @Test
    void anOpenAiRequestWithoutCredentialUsesThePool() throws Exception {
        client(openAi(), true);
        ClassicHttpRequest request = post("X-Api-Key", USER_KEY); // not an OpenAI credential header

        assertThat(send(request, HttpClientContext.create())).isEqualTo("200 {\"by\":\"pool-1\"}");

        assertThat(upstream.requests()).singleElement()
                .satisfies(r -> assertThat(r.headerValues("Authorization")).containsExactly("Bearer " + K1));
    }
}
