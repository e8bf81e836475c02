package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.keyfailover.api.RateLimits;
import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * behaviour.md §10: every answer to a pool key tells how much of its limits is left; a limit used
 * up cools the (key, model) until it refills, so the next request goes to another key without
 * first spending a 429 upstream.
 */
class RateLimitHeadersTest {

    static final String K1 = "sk-limits-first-key-000000001";
    static final String K2 = "sk-limits-second-key-00000002";
    static final String A = "gpt-a";
    static final String B = "gpt-b";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2);
    private final FakeUpstream upstream = chain.upstream();
    private final MutableClock clock = chain.clock();

    private KeySnapshot key(int index) {
        return chain.pool().snapshot().get(index);
    }

    private ChainFixture.Answer chat(String model) throws Exception {
        return chain.answer(chain.chat(model));
    }

    private ChainFixture.Answer messages(String model) throws Exception {
        return chain.answer(chain.post("/v1/messages", "{\"model\":\"" + model
                + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    private static FakeUpstream.Reply ok(String... headers) {
        return FakeUpstream.withHeaders(FakeUpstream.ok("{}"), headers);
    }

    private String rfc3339(Duration fromNow) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(clock.instant().plus(fromNow).atOffset(ZoneOffset.UTC));
    }

    @Test
    void aUsedUpRequestLimitSendsTheNextRequestForThatModelToTheNextKeyWithoutA429() throws Exception {
        upstream.on(K1, A, ok("x-ratelimit-limit-requests", "60", "x-ratelimit-remaining-requests", "0",
                        "x-ratelimit-reset-requests", "2s"))
                .on(K1, FakeUpstream.ok("{}"))
                .on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        assertThat(chat(A).status()).isEqualTo(200);
        assertThat(chat(A).status()).isEqualTo(200);
        assertThat(chat(B).status()).isEqualTo(200);

        assertThat(upstream.keysAndModelsSeen()).as("the second request for A never reaches K1, so no 429 from it")
                .containsExactly(K1 + " " + A, K2 + " " + A, K1 + " " + B);
        assertThat(key(0).state()).isEqualTo(KeyState.VALID);
        assertThat(key(0).lastStatus()).isEqualTo(200);
        assertThat(key(0).failures()).isZero();

        clock.advance(Duration.ofMillis(1999));
        upstream.clearRequests();
        chat(A);
        assertThat(upstream.keysSeen()).containsExactly(K2);

        clock.advance(Duration.ofMillis(1));
        upstream.clearRequests();
        chat(A);
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void anAnthropicUsedUpLimitWithAnRfc3339ResetCoolsTheModelUntilThen() throws Exception {
        upstream.on(K1, "claude-a", ok("anthropic-ratelimit-requests-limit", "50",
                        "anthropic-ratelimit-requests-remaining", "0",
                        "anthropic-ratelimit-requests-reset", rfc3339(Duration.ofSeconds(5))))
                .on(K1, FakeUpstream.ok("{}"))
                .on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.anthropic());

        messages("claude-a");
        messages("claude-a");
        messages("claude-b");

        assertThat(upstream.keysAndModelsSeen())
                .containsExactly(K1 + " claude-a", K2 + " claude-a", K1 + " claude-b");
        clock.advance(Duration.ofSeconds(5));
        upstream.clearRequests();
        messages("claude-a");
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void anAnthropicResetWithAnOffsetIsTheSameInstant() throws Exception {
        String inTenSeconds = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                clock.instant().plusSeconds(10).atOffset(ZoneOffset.ofHours(-5)));
        upstream.on(K1, ok("anthropic-ratelimit-input-tokens-remaining", "0",
                "anthropic-ratelimit-input-tokens-reset", inTenSeconds)).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.anthropic());

        messages("claude-a");

        assertThat(key(0).models()).singleElement().satisfies(model -> {
            assertThat(model.model()).isEqualTo("claude-a");
            assertThat(model.cooldownRemaining()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @ParameterizedTest(name = "remaining [{0}], reset [{1}]")
    @CsvSource({
        "0, soon",
        "0, 1x",
        "0, ''",
        "0, 2026-11-24 10:00:30",
        "none, 2s",
        "-1, 2s",
        "0.0, 2s",
        "99999999999999999999, 2s"})
    void garbageRateLimitValuesAreIgnoredWithoutCoolingOrError(String remaining, String reset) throws Exception {
        upstream.on(K1, ok("x-ratelimit-remaining-requests", remaining, "x-ratelimit-reset-requests", reset,
                "anthropic-ratelimit-requests-remaining", remaining, "anthropic-ratelimit-requests-reset", reset))
                .on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        assertThat(chat(A).status()).isEqualTo(200);
        assertThat(chat(A).status()).isEqualTo(200);

        assertThat(upstream.keysSeen()).containsExactly(K1, K1);
        assertThat(key(0).state()).isEqualTo(KeyState.VALID);
        assertThat(key(0).models()).allSatisfy(model -> assertThat(model.cooldownRemaining()).isZero());
    }

    @Test
    void aUsedUpLimitWithoutAResetMarksNothing() throws Exception {
        upstream.on(K1, ok("x-ratelimit-limit-requests", "60", "x-ratelimit-remaining-requests", "0"))
                .on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        chat(A);
        chat(A);

        assertThat(upstream.keysSeen()).containsExactly(K1, K1);
        assertThat(key(0).models()).singleElement().satisfies(model ->
                assertThat(model.cooldownRemaining()).isZero());
    }

    @Test
    void aUsedUpLimitCoolsAtMostForMaxCooldown() throws Exception {
        chain.poolSettings(PoolSettings.defaults().withMaxCooldown(Duration.ofSeconds(10)));
        upstream.on(K1, ok("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1h2m3.5s"))
                .on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        chat(A);

        assertThat(key(0).models()).singleElement().satisfies(model ->
                assertThat(model.cooldownRemaining()).isEqualTo(Duration.ofSeconds(10)));
        clock.advance(Duration.ofSeconds(10));
        upstream.clearRequests();
        chat(A);
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void aUsedUpTokenLimitCoolsTheModelUntilTheTokensRefill() throws Exception {
        upstream.on(K1, ok("x-ratelimit-remaining-requests", "59", "x-ratelimit-reset-requests", "1s",
                "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "6m0s"))
                .on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        chat(A);

        assertThat(key(0).models()).singleElement().satisfies(model ->
                assertThat(model.cooldownRemaining()).isEqualTo(Duration.ofMinutes(6)));
    }

    @Test
    void rateLimitHeadersOnAnErrorAnswerCountToo() throws Exception {
        upstream.on(K1, FakeUpstream.withHeaders(FakeUpstream.status(404), "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "3s")).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        assertThat(chat(A).status()).as("a 404 still goes to the client").isEqualTo(404);
        upstream.clearRequests();
        assertThat(chat(A).status()).isEqualTo(200);

        assertThat(upstream.keysSeen()).containsExactly(K2);
    }

    @Test
    void aRateLimitAnswerCoolsForTheLaterOfItsRetryAfterAndItsReset() throws Exception {
        upstream.on(K1, FakeUpstream.withHeaders(FakeUpstream.rateLimited("1"), "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "20s")).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        chat(A);

        assertThat(key(0).models()).singleElement().satisfies(model ->
                assertThat(model.cooldownRemaining()).isEqualTo(Duration.ofSeconds(20)));
    }

    @Test
    void withCooldownScopeKeyAUsedUpLimitCoolsTheWholeKey() throws Exception {
        chain.poolSettings(PoolSettings.defaults().withCooldownScope(PoolSettings.CooldownScope.KEY));
        upstream.on(K1, ok("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "2s"))
                .on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        chat(A);
        upstream.clearRequests();
        chat(B);

        assertThat(upstream.keysSeen()).containsExactly(K2);
        assertThat(key(0).state()).isEqualTo(KeyState.COOLING);
        assertThat(key(0).cooldownRemaining()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theLastWordOnTheLimitsIsKeptPerKeyAndModel() throws Exception {
        upstream.on(K1, A, ok("x-ratelimit-limit-requests", "100", "x-ratelimit-remaining-requests", "99",
                        "x-ratelimit-reset-requests", "600ms"))
                .on(K1, B, ok("x-ratelimit-limit-requests", "10", "x-ratelimit-remaining-requests", "3"));
        chain.client(chain.openAi());
        Instant now = clock.instant();

        chat(A);
        chat(B);

        assertThat(key(0).models()).containsExactly(
                new KeySnapshot.ModelSnapshot(A, Duration.ZERO, new RateLimits(java.util.List.of(
                        new RateLimits.Window("requests", 100, 99, now.plusMillis(600))))),
                new KeySnapshot.ModelSnapshot(B, Duration.ZERO, new RateLimits(java.util.List.of(
                        new RateLimits.Window("requests", 10, 3, null)))));
        assertThat(key(1).models()).isEmpty();
    }
}
