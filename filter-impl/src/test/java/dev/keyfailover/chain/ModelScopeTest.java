package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import dev.keyfailover.api.RateLimits;
import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.settings.BodyLimits;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * behaviour.md §9, cooldown scope: a rate limit is about one model on one key, so it cools the pair
 * (key, model) by default and the key goes on serving its other models; {@code cooldownScope=key}
 * cools the whole key; authentication and quota always concern the whole key. Over real sockets,
 * with a fake upstream that answers per key and model, and a fake clock.
 */
class ModelScopeTest {

    static final String K1 = "sk-model-first-key-0000000001";
    static final String K2 = "sk-model-second-key-000000002";
    static final String K3 = "sk-model-third-key-0000000003";
    static final String A = "gpt-a";
    static final String B = "gpt-b";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2, K3);
    private final FakeUpstream upstream = chain.upstream();
    private final MutableClock clock = chain.clock();

    private KeySnapshot key(int index) {
        return chain.pool().snapshot().get(index);
    }

    private void openAi(String... keys) {
        chain.keys(keys);
        chain.client(chain.openAi());
    }

    private ChainFixture.Answer chat(String model) throws Exception {
        return chain.answer(chain.chat(model));
    }

    private ChainFixture.Answer post(String path, String json) throws Exception {
        return chain.answer(chain.post(path, json));
    }

    @Test
    void aRateLimitForOneModelLeavesTheKeyServingAnother() throws Exception {
        upstream.on(K1, A, FakeUpstream.rateLimited("30"))
                .on(K1, FakeUpstream.ok("{\"from\":\"k1\"}"))
                .on(K2, FakeUpstream.ok("{\"from\":\"k2\"}"));
        openAi(K1, K2);

        assertThat(chat(A).body()).isEqualTo("{\"from\":\"k2\"}");
        assertThat(chat(B).body()).isEqualTo("{\"from\":\"k1\"}");

        assertThat(upstream.keysAndModelsSeen()).containsExactly(K1 + " " + A, K2 + " " + A, K1 + " " + B);
        assertThat(key(0).state()).isEqualTo(KeyState.VALID);
        assertThat(key(0).models()).containsExactly(
                new KeySnapshot.ModelSnapshot(A, Duration.ofSeconds(30), RateLimits.NONE));
    }

    @Test
    void theCoolingModelGoesToTheNextKeyUntilItsCooldownEndsThenBackToTheFirst() throws Exception {
        upstream.on(K1, A, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.ok("{}"));
        openAi(K1, K2);
        chat(A);
        upstream.on(K1, FakeUpstream.ok("{}")).on(K1, A, FakeUpstream.ok("{}"));
        upstream.clearRequests();

        assertThat(chat(A).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(29));
        assertThat(chat(A).status()).isEqualTo(200);
        assertThat(upstream.keysSeen()).as("K1 is not tried for A while A cools on it").containsExactly(K2, K2);

        clock.advance(Duration.ofSeconds(1));
        upstream.clearRequests();
        assertThat(chat(A).status()).isEqualTo(200);
        assertThat(upstream.keysAndModelsSeen()).containsExactly(K1 + " " + A);
        assertThat(key(0).models()).isEmpty();
    }

    @Test
    void cooldownScopeKeyCoolsTheWholeKeyForEveryModel() throws Exception {
        chain.poolSettings(PoolSettings.defaults().withCooldownScope(PoolSettings.CooldownScope.KEY));
        upstream.on(K1, A, FakeUpstream.rateLimited("30"))
                .on(K1, FakeUpstream.ok("{}"))
                .on(K2, FakeUpstream.ok("{}"));
        openAi(K1, K2);

        chat(A);
        upstream.clearRequests();
        assertThat(chat(B).status()).isEqualTo(200);

        assertThat(upstream.keysAndModelsSeen()).containsExactly(K2 + " " + B);
        assertThat(key(0).state()).isEqualTo(KeyState.COOLING);
        assertThat(key(0).cooldownRemaining()).isEqualTo(Duration.ofSeconds(30));
        assertThat(key(0).models()).isEmpty();

        clock.advance(Duration.ofSeconds(30));
        upstream.clearRequests();
        chat(B);
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void anAzureDeploymentInThePathIsTheModel() throws Exception {
        upstream.on(K1, "gpt4o-east", FakeUpstream.rateLimited("30"))
                .on(K1, FakeUpstream.ok("{}"))
                .on(K2, FakeUpstream.ok("{}"));
        openAi(K1, K2);
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        post("/openai/deployments/gpt4o-east/chat/completions?api-version=2024-06-01", body);
        upstream.clearRequests();
        post("/openai/deployments/gpt4o-east/chat/completions?api-version=2024-06-01", body);
        post("/openai/deployments/gpt35-west/chat/completions?api-version=2024-06-01", body);

        assertThat(upstream.keysAndModelsSeen()).containsExactly(K2 + " gpt4o-east", K1 + " gpt35-west");
        assertThat(key(0).state()).isEqualTo(KeyState.VALID);
        assertThat(key(0).models()).extracting(KeySnapshot.ModelSnapshot::model).containsExactly("gpt4o-east");
    }

    @Test
    void aGeminiModelInThePathIsTheModel() throws Exception {
        upstream.on(K1, "gemini-pro", FakeUpstream.rateLimited("30"))
                .on(K1, FakeUpstream.ok("{}"))
                .on(K2, FakeUpstream.ok("{}"));
        openAi(K1, K2);
        String body = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}";

        post("/v1beta/models/gemini-pro:generateContent", body);
        upstream.clearRequests();
        post("/v1beta/models/gemini-pro:streamGenerateContent?alt=sse", body);
        post("/v1beta/models/gemini-flash:generateContent", body);

        assertThat(upstream.keysAndModelsSeen()).containsExactly(K2 + " gemini-pro", K1 + " gemini-flash");
        assertThat(key(0).models()).extracting(KeySnapshot.ModelSnapshot::model).containsExactly("gemini-pro");
    }

    @Test
    void aRateLimitOnARequestWithoutAModelCoolsTheWholeKey() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.ok("{}"));
        openAi(K1, K2);

        post("/v1/embeddings-without-model", "{\"input\":\"hi\"}");
        upstream.on(K1, FakeUpstream.ok("{}"));
        upstream.clearRequests();
        chat(B);

        assertThat(upstream.keysAndModelsSeen()).containsExactly(K2 + " " + B);
        assertThat(key(0).state()).isEqualTo(KeyState.COOLING);
        assertThat(key(0).cooldownRemaining()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRequestWithoutAModelIsNotHeldBackByTheCooldownOfOneModel() throws Exception {
        upstream.on(K1, A, FakeUpstream.rateLimited("30")).on(K1, FakeUpstream.ok("{}")).on(K2, FakeUpstream.ok("{}"));
        openAi(K1, K2);
        chat(A);
        upstream.clearRequests();

        post("/v1/files-list", "{\"purpose\":\"batch\"}");

        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    static Stream<Arguments> keyWideFailures() {
        return Stream.of(
                Arguments.of("401", Map.of(), FakeUpstream.status(401), KeyState.DISABLED),
                Arguments.of("403 with on403=disable", Map.of("on403", "disable"), FakeUpstream.status(403),
                        KeyState.DISABLED),
                Arguments.of("429 insufficient_quota", Map.of(),
                        FakeUpstream.json(429, QuotaTest.OPENAI_QUOTA).withHeader("Retry-After", "5"),
                        KeyState.EXHAUSTED),
                Arguments.of("402", Map.of(), FakeUpstream.status(402), KeyState.EXHAUSTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyWideFailures")
    void authenticationAndQuotaFailuresConcernTheWholeKeyEvenWithAModel(String label, Map<String, String> properties,
            FakeUpstream.Reply failure, KeyState state) throws Exception {
        upstream.on(K1, A, failure).on(K1, FakeUpstream.ok("{}")).on(K2, FakeUpstream.ok("{}"));
        chain.keys(K1, K2);
        chain.client(chain.openAi(properties));

        assertThat(chat(A).status()).isEqualTo(200);
        upstream.clearRequests();
        assertThat(chat(B).status()).isEqualTo(200);

        assertThat(upstream.keysAndModelsSeen()).as("K1 is out for every model").containsExactly(K2 + " " + B);
        assertThat(key(0).state()).isEqualTo(state);
        assertThat(key(0).models()).isEmpty();
    }

    @Test
    void anExhaustedPoolAnswersWithTheSoonestCooldownOfThisRequestsModelOnly() throws Exception {
        upstream.on(K1, A, FakeUpstream.rateLimited("30"))
                .on(K2, A, FakeUpstream.rateLimited("10"))
                .on(K1, FakeUpstream.ok("{\"from\":\"k1\"}"))
                .on(K2, FakeUpstream.ok("{\"from\":\"k2\"}"));
        openAi(K1, K2);

        ChainFixture.Answer forA = chat(A);

        assertThat(forA.status()).isEqualTo(429);
        assertThat(forA.header("Retry-After")).isEqualTo("10");
        assertThat(forA.body()).contains("rate_limit_exceeded").doesNotContain(K1, K2);

        upstream.clearRequests();
        clock.advance(Duration.ofSeconds(4));
        ChainFixture.Answer again = chat(A);
        assertThat(again.status()).isEqualTo(429);
        assertThat(again.header("Retry-After")).isEqualTo("6");
        assertThat(upstream.keysSeen()).as("no upstream attempt while A cools on every key").isEmpty();

        ChainFixture.Answer forB = chat(B);
        assertThat(forB.status()).isEqualTo(200);
        assertThat(forB.body()).isEqualTo("{\"from\":\"k1\"}");
        assertThat(upstream.keysAndModelsSeen()).containsExactly(K1 + " " + B);
    }

    @Test
    void aKeyCoolingAsAWholeBlocksEveryModelInTheExhaustionAnswer() throws Exception {
        // K1 cools as a whole (a request without a model), K2 for A only: A waits for the sooner of the two.
        upstream.on(K1, FakeUpstream.rateLimited("20")).on(K2, A, FakeUpstream.rateLimited("50"))
                .on(K2, FakeUpstream.ok("{}"));
        openAi(K1, K2);
        post("/v1/no-model", "{}");
        chat(A);
        upstream.clearRequests();

        ChainFixture.Answer forA = chat(A);

        assertThat(forA.status()).isEqualTo(429);
        assertThat(forA.header("Retry-After")).isEqualTo("20");
        assertThat(chat(B).status()).isEqualTo(200);
        assertThat(upstream.keysAndModelsSeen()).containsExactly(K2 + " " + B);
    }

    @Test
    void anAdministratorsResetEndsTheCooldownsOfSingleModelsToo() throws Exception {
        upstream.on(K1, A, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.ok("{}"));
        openAi(K1, K2);
        chat(A);
        upstream.on(K1, A, FakeUpstream.ok("{}"));
        upstream.clearRequests();

        assertThat(chain.pool().reset(0)).as("a change: A was cooling on K1").isTrue();
        chat(A);

        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(key(0).models()).isEmpty();
    }

    @Test
    void theModelOfABodySpilledToDiskScopesItsCooldownToo(@TempDir Path spill) throws Exception {
        upstream.on(K1, A, FakeUpstream.rateLimited("30")).on(K1, FakeUpstream.ok("{}")).on(K2, FakeUpstream.ok("{}"));
        chain.keys(K1, K2);
        chain.client(chain.openAi(), null,
                new FailoverSettings(true, new BodyLimits(1024, BodyLimits.DEFAULT_MAX_BYTES, spill)),
                ChainFixture.CLIENT_SETTINGS);
        String messages = RequestModelTest.MESSAGES;

        assertThat(post("/v1/chat/completions", "{\"messages\":" + messages + ",\"model\":\"" + A + "\"}").status())
                .isEqualTo(200);
        assertThat(post("/v1/chat/completions", "{\"model\":\"" + B + "\",\"messages\":" + messages + "}").status())
                .isEqualTo(200);
        assertThat(post("/v1/chat/completions", "{\"messages\":" + messages + ",\"model\":\"" + A + "\",\"tools\":"
                + messages + "}").status()).isEqualTo(200);

        assertThat(upstream.keysAndModelsSeen()).containsExactly(K1 + " " + A, K2 + " " + A, K1 + " " + B, K2 + " " + A);
        assertThat(key(0).models()).extracting(KeySnapshot.ModelSnapshot::model).containsExactly(A);
        try (Stream<Path> left = Files.list(spill)) {
            assertThat(left).as("spill files deleted").isEmpty();
        }
    }
}
