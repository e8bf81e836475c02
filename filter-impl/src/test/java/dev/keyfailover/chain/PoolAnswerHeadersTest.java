package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyfailover.testing.FakeUpstream;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * behaviour.md §10: answers to pool requests say how many upstream attempts they took
 * ({@code X-Keyfailover-Attempts}); the key that served is named only with {@code exposeKeyHint}
 * (see {@code servlet.PoolAnswerHeadersOverHttpTest}).
 */
class PoolAnswerHeadersTest {

    static final String K1 = "sk-headers-first-key-00000001";
    static final String K2 = "sk-headers-second-key-0000002";
    static final String K3 = "sk-headers-third-key-00000003";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2, K3);
    private final FakeUpstream upstream = chain.upstream();

    private ChainFixture.Answer chat() throws Exception {
        return chain.answer(chain.chat("gpt-a"));
    }

    @Test
    void anAnswerOnTheFirstTrySaysOneAttempt() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        assertThat(chat().header("X-Keyfailover-Attempts")).isEqualTo("1");
    }

    @Test
    void aSuccessAfterFailoversCountsEveryAttempt() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.rateLimited("30")).on(K3, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = chat();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Keyfailover-Attempts")).isEqualTo("3");
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void anExhaustionAnswerCountsTheAttemptsMade() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.rateLimited("30"))
                .on(K3, FakeUpstream.status(401));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = chat();
        ChainFixture.Answer next = chat();

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("X-Keyfailover-Attempts")).isEqualTo("3");
        assertThat(next.status()).isEqualTo(429);
        assertThat(next.header("X-Keyfailover-Attempts")).as("no key to try at all").isEqualTo("0");
    }

    @Test
    void aRefusalReturnedAfterEveryKeyRefusedCountsTheAttempts() throws Exception {
        upstream.on(K1, FakeUpstream.status(403)).on(K2, FakeUpstream.status(403)).on(K3, FakeUpstream.status(403));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = chat();

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("X-Keyfailover-Attempts")).isEqualTo("3");
    }

    @Test
    void anUpstreamAttemptsHeaderIsReplacedNotRepeated() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{}").withHeader("X-Keyfailover-Attempts", "99"));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = chat();

        assertThat(answer.headers()).filteredOn(h -> h.getName().equalsIgnoreCase("X-Keyfailover-Attempts"))
                .singleElement().satisfies(h -> assertThat(h.getValue()).isEqualTo("1"));
    }

    @Test
    void aByokRequestGetsNoAttemptsHeader() throws Exception {
        upstream.on("sk-user-own-key-000000000009", FakeUpstream.ok("{}"));
        chain.client(chain.openAi());
        ClassicHttpRequest request = chain.chat("gpt-a");
        request.setHeader("Authorization", "Bearer sk-user-own-key-000000000009");

        ChainFixture.Answer answer = chain.answer(request);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Keyfailover-Attempts")).isNull();
        assertThat(upstream.keysSeen()).containsExactly("sk-user-own-key-000000000009");
    }

    @Test
    void theServingKeyIsNotNamedByDefault() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = chat();

        assertThat(answer.header("X-Keyfailover-Key")).isNull();
        assertThat(answer.headers()).noneSatisfy(h -> assertThat(h.getValue()).contains("sk-"));
    }
}
