package dev.keyfailover.chain;

import dev.keyfailover.settings.BodyLimits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyfailover.api.Provider;
import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.testing.FakeUpstream;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bring your own key: one attempt with the client's credential, or the pool when BYOK is off (behaviour.md §5). */
class ByokTest {

    private static final String K1 = "sk-pool-first-key-00000000001";
    private static final String K2 = "sk-pool-second-key-0000000002";
    private static final String USER_KEY = "sk-user-own-key-999999999999";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2);
    private final FakeUpstream upstream = chain.upstream();

    @BeforeEach
    void poolKeysAnswer() {
        upstream.on(K1, FakeUpstream.ok("{\"by\":\"pool-1\"}")).on(K2, FakeUpstream.ok("{\"by\":\"pool-2\"}"));
    }

    private void client(Provider provider, boolean byokAllowed) {
        chain.client(provider, null, new FailoverSettings(byokAllowed, BodyLimits.defaults()),
                ChainFixture.CLIENT_SETTINGS);
    }

    private ClassicHttpRequest post(String header, String value) {
        ClassicHttpRequest request = chain.post("/v1/chat/completions", "{\"q\":1}");
        request.addHeader(header, value);
        return request;
    }

    private void assertPoolUntouched() {
        assertThat(chain.pool().snapshot()).allSatisfy(key -> {
            assertThat(key.state()).isEqualTo(KeyState.VALID);
            assertThat(key.attempts()).isZero();
        });
    }

    @Test
    void openAiClientCredentialIsSentOnceUntouchedEvenWhenRateLimited() throws Exception {
        upstream.on(USER_KEY, FakeUpstream.json(429, "{\"error\":\"yours is limited\"}").withHeader("Retry-After", "40"));
        client(chain.openAi(), true);
        HttpClientContext context = HttpClientContext.create();

        assertThat(chain.send(post("Authorization", "Bearer " + USER_KEY), context))
                .isEqualTo("429 {\"error\":\"yours is limited\"}");

        assertThat(upstream.requests()).singleElement()
                .satisfies(r -> assertThat(r.headerValues("Authorization")).containsExactly("Bearer " + USER_KEY));
        assertPoolUntouched();
        assertThat(Exchange.of(context).byok()).isTrue();
    }

    @Test
    void openAiClientCredentialGetsNoFailoverOn401() throws Exception {
        upstream.on(USER_KEY, FakeUpstream.status(401));
        client(chain.openAi(), true);

        assertThat(chain.send(post("Authorization", "Bearer " + USER_KEY))).startsWith("401 ");

        assertThat(upstream.keysSeen()).containsExactly(USER_KEY);
        assertPoolUntouched();
    }

    @Test
    void anthropicByokByXApiKeyOrAuthorization() throws Exception {
        upstream.on(USER_KEY, FakeUpstream.ok("{\"by\":\"user\"}"));
        client(chain.anthropic(), true);

        assertThat(chain.send(post("X-Api-Key", USER_KEY))).isEqualTo("200 {\"by\":\"user\"}");
        assertThat(chain.send(post("Authorization", "Bearer " + USER_KEY)))
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
        client(chain.openAi(), false);
        HttpClientContext context = HttpClientContext.create();

        assertThat(chain.send(post("Authorization", "Bearer " + USER_KEY), context))
                .isEqualTo("200 {\"by\":\"pool-2\"}");

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(upstream.requests()).allSatisfy(r -> {
            assertThat(r.headerValues("Authorization")).hasSize(1);
            assertThat(r.header("Authorization")).doesNotContain(USER_KEY);
        });
        assertThat(chain.pool().snapshot().get(0).state()).isEqualTo(KeyState.COOLING);
        assertThat(Exchange.of(context).byok()).isFalse();
    }

    @Test
    void withByokOffAnthropicStripsEveryClientCredential() throws Exception {
        client(chain.anthropic(), false);
        ClassicHttpRequest request = post("X-Api-Key", USER_KEY);
        request.addHeader("Authorization", "Bearer " + USER_KEY);

        assertThat(chain.send(request)).isEqualTo("200 {\"by\":\"pool-1\"}");

        assertThat(upstream.requests()).singleElement().satisfies(r -> {
            assertThat(r.headerValues("X-Api-Key")).containsExactly(K1);
            assertThat(r.header("Authorization")).isNull();
        });
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::attempts).containsExactly(1L, 0L);
    }

    @Test
    void anOpenAiRequestWithoutCredentialUsesThePool() throws Exception {
        client(chain.openAi(), true);
        ClassicHttpRequest request = post("X-Api-Key", USER_KEY); // not an OpenAI credential header

        assertThat(chain.send(request)).isEqualTo("200 {\"by\":\"pool-1\"}");

        assertThat(upstream.requests()).singleElement()
                .satisfies(r -> assertThat(r.headerValues("Authorization")).containsExactly("Bearer " + K1));
    }
}
