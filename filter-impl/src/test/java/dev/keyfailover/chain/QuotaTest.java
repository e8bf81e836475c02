package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

import dev.keyfailover.api.Provider;
import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.settings.ClientSettings;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * behaviour.md §9, the account: an empty balance sets the whole key aside as EXHAUSTED until its
 * quota re-check (1 h, doubling); a request too large for a key's tier skips it for that request;
 * error bodies are judged from a bounded copy, and a plain error still reaches the client whole.
 */
class QuotaTest {

    static final String K1 = "sk-quota-first-key-0000000001";
    static final String K2 = "sk-quota-second-key-000000002";
    static final String K3 = "sk-quota-third-key-0000000003";

    static final String OPENAI_QUOTA = "{\"error\":{\"message\":\"You exceeded your current quota, please check your"
            + " plan and billing details.\",\"type\":\"insufficient_quota\",\"param\":null,"
            + "\"code\":\"insufficient_quota\"}}";
    static final String OPENAI_TOO_LARGE = "{\"error\":{\"message\":\"Request too large for gpt-4o in organization"
            + " org-x on tokens per min (TPM): Limit 30000, Requested 45000.\",\"type\":\"tokens\",\"param\":null,"
            + "\"code\":\"rate_limit_exceeded\"}}";
    static final String ANTHROPIC_CREDIT = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"message\":\"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing"
            + " to upgrade or purchase credits.\"}}";
    static final String ANTHROPIC_BAD_REQUEST = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"message\":\"max_tokens: Field required\"}}";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2);
    private final FakeUpstream upstream = chain.upstream();
    private final MutableClock clock = chain.clock();

    private static FakeUpstream.Reply quota() {
        return FakeUpstream.json(429, OPENAI_QUOTA);
    }

    private KeySnapshot key(int index) {
        return chain.pool().snapshot().get(index);
    }

    private ChainFixture.Answer chat(String model) throws Exception {
        return chain.answer(chain.chat(model));
    }

    private ChainFixture.Answer messages() throws Exception {
        return chain.answer(chain.post("/v1/messages",
                "{\"model\":\"claude-test\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void anInsufficientQuotaAnswerFailsOverAndSetsTheWholeKeyAside() throws Exception {
        upstream.on(K1, quota()).on(K2, FakeUpstream.ok("{\"from\":\"k2\"}"));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = chat("gpt-a");
        upstream.on(K1, FakeUpstream.ok("{\"from\":\"k1\"}"));

        assertThat(answer.body()).isEqualTo("{\"from\":\"k2\"}");
        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
        assertThat(key(0).cooldownRemaining()).isEqualTo(Duration.ofHours(1));
        assertThat(key(0).models()).as("not a cooldown of one model").isEmpty();
        upstream.clearRequests();
        chat("gpt-b");
        chat("gpt-a");
        assertThat(upstream.keysSeen()).containsExactly(K2, K2);
    }

    @Test
    void anExhaustedKeyWaitsForItsQuotaRecheckThenOneProbeThatSucceedsMakesItValid() throws Exception {
        upstream.on(K1, quota()).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());
        chat("gpt-a");
        upstream.on(K1, FakeUpstream.ok("{}"));
        upstream.clearRequests();

        clock.advance(Duration.ofHours(1).minusMillis(1));
        chat("gpt-a");
        assertThat(upstream.keysSeen()).as("not re-checked before quotaRecheck").containsExactly(K2);

        clock.advance(Duration.ofMillis(1));
        upstream.clearRequests();
        assertThat(chat("gpt-a").status()).isEqualTo(200);
        assertThat(upstream.keysSeen()).as("the probe").containsExactly(K1);
        assertThat(key(0).state()).isEqualTo(KeyState.VALID);

        upstream.clearRequests();
        chat("gpt-b");
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void aProbeAnsweredWithInsufficientQuotaAgainDoublesTheRecheckInterval() throws Exception {
        upstream.on(K1, quota()).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());
        chat("gpt-a");
        clock.advance(Duration.ofHours(1));
        upstream.clearRequests();

        assertThat(chat("gpt-a").status()).isEqualTo(200);

        assertThat(upstream.keysSeen()).as("one probe, then the next key").containsExactly(K1, K2);
        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
        assertThat(key(0).cooldownRemaining()).isEqualTo(Duration.ofHours(2));
        upstream.clearRequests();
        clock.advance(Duration.ofHours(2).minusMillis(1));
        chat("gpt-a");
        assertThat(upstream.keysSeen()).containsExactly(K2);
        clock.advance(Duration.ofMillis(1));
        upstream.clearRequests();
        chat("gpt-a");
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(key(0).cooldownRemaining()).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void theQuotaRecheckIntervalDoublesUpToADay() throws Exception {
        upstream.on(K1, quota()).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());
        chat("gpt-a");

        for (Duration interval : new Duration[] {Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4),
                Duration.ofHours(8), Duration.ofHours(16), Duration.ofHours(24), Duration.ofHours(24)}) {
            assertThat(key(0).cooldownRemaining()).isEqualTo(interval);
            clock.advance(interval);
            upstream.clearRequests();
            chat("gpt-a");
            assertThat(upstream.keysSeen()).as("probed after %s", interval).containsExactly(K1, K2);
        }
    }

    @Test
    void quotaRecheckNeverKeepsAnExhaustedKeyAside() throws Exception {
        chain.poolSettings(PoolSettings.defaults().withQuotaRecheck(Optional.empty()));
        upstream.on(K1, quota()).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());
        chat("gpt-a");
        upstream.on(K1, FakeUpstream.ok("{}"));
        upstream.clearRequests();

        clock.advance(Duration.ofDays(30));
        chat("gpt-a");

        assertThat(upstream.keysSeen()).containsExactly(K2);
        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
        assertThat(key(0).recheckEnabled()).isFalse();
    }

    @Test
    void a402FromOpenAiSetsTheKeyAside() throws Exception {
        upstream.on(K1, FakeUpstream.status(402)).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        assertThat(chat("gpt-a").status()).isEqualTo(200);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
    }

    @Test
    void a402FromAnthropicSetsTheKeyAside() throws Exception {
        upstream.on(K1, FakeUpstream.json(402, "{\"type\":\"error\",\"error\":{\"type\":\"billing_error\","
                + "\"message\":\"payment required\"}}")).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.anthropic());

        assertThat(messages().status()).isEqualTo(200);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
    }

    @Test
    void anAnthropic400AboutTheCreditBalanceSetsTheKeyAside() throws Exception {
        upstream.on(K1, FakeUpstream.json(400, ANTHROPIC_CREDIT)).on(K2, FakeUpstream.ok("{\"from\":\"k2\"}"));
        chain.client(chain.anthropic());

        assertThat(messages().body()).isEqualTo("{\"from\":\"k2\"}");

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
    }

    @Test
    void aPlainAnthropic400ReachesTheClientUntouchedWithItsWholeBody() throws Exception {
        upstream.on(K1, FakeUpstream.json(400, ANTHROPIC_BAD_REQUEST).withHeader("request-id", "req_1"))
                .on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.anthropic());

        ChainFixture.Answer answer = messages();

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo(ANTHROPIC_BAD_REQUEST);
        assertThat(answer.header("request-id")).isEqualTo("req_1");
        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
    }

    @Test
    void whenEveryKeyIsExhaustedAnOpenAiClientGetsOpenAisOwnInsufficientQuota() throws Exception {
        upstream.on(K1, quota()).on(K2, quota().withHeader("Retry-After", "30"));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = chat("gpt-a");

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("Retry-After")).isNull();
        assertThat(answer.header("x-should-retry")).isEqualTo("false");
        JsonObject error = json(answer.body()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("insufficient_quota");
        assertThat(error.getString("code")).isEqualTo("insufficient_quota");
        assertThat(answer.body()).doesNotContain(K1, K2);
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.EXHAUSTED);

        upstream.clearRequests();
        ChainFixture.Answer later = chat("gpt-b");
        assertThat(later.status()).isEqualTo(429);
        assertThat(later.header("x-should-retry")).isEqualTo("false");
        assertThat(upstream.keysSeen()).isEmpty();
    }

    @Test
    void whenEveryKeyIsExhaustedAnAnthropicClientGetsAnthropicsOwn400() throws Exception {
        upstream.on(K1, FakeUpstream.json(400, ANTHROPIC_CREDIT)).on(K2, FakeUpstream.status(402));
        chain.client(chain.anthropic());

        ChainFixture.Answer answer = messages();

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Retry-After")).isNull();
        assertThat(answer.header("x-should-retry")).isEqualTo("false");
        JsonObject body = json(answer.body());
        assertThat(body.getString("type")).isEqualTo("error");
        assertThat(body.getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
    }

    @Test
    void disabledAndExhaustedKeysTogetherAnswerAsAnEmptyBalanceNotAnAuthenticationFailure() throws Exception {
        chain.keys(K1, K2, K3);
        upstream.on(K1, FakeUpstream.status(401)).on(K2, quota()).on(K3, FakeUpstream.status(401));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = chat("gpt-a");

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("x-should-retry")).isEqualTo("false");
        assertThat(json(answer.body()).getJsonObject("error").getString("code")).isEqualTo("insufficient_quota");
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::state)
                .containsExactly(KeyState.DISABLED, KeyState.EXHAUSTED, KeyState.DISABLED);
    }

    @Test
    void aRequestTooLargeForAKeysTierSkipsItForThisRequestOnly() throws Exception {
        upstream.on(K1, FakeUpstream.json(429, OPENAI_TOO_LARGE).withHeader("Retry-After", "30"))
                .on(K2, FakeUpstream.ok("{\"from\":\"k2\"}"));
        chain.client(chain.openAi());

        assertThat(chat("gpt-a").body()).isEqualTo("{\"from\":\"k2\"}");

        assertThat(key(0).state()).isEqualTo(KeyState.VALID);
        assertThat(key(0).models()).isEmpty();
        upstream.clearRequests();
        chat("gpt-a");
        assertThat(upstream.keysSeen()).as("nothing was marked: K1 is tried first again").containsExactly(K1, K2);
    }

    @Test
    void aRequestTooLargeForEveryKeyGetsTheProvidersOwnAnswer() throws Exception {
        upstream.on(K1, FakeUpstream.json(429, OPENAI_TOO_LARGE)).on(K2, FakeUpstream.json(429, OPENAI_TOO_LARGE));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = chat("gpt-a");

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.body()).isEqualTo(OPENAI_TOO_LARGE);
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
    }

    private static byte[] gzip(String text) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static FakeUpstream.Reply gzipped(int status, String json) throws java.io.IOException {
        return FakeUpstream.json(status, "").withBody(gzip(json)).withHeader("Content-Encoding", "gzip");
    }

    private ChainFixture.Answer acceptingGzip(org.apache.hc.core5.http.ClassicHttpRequest request) throws Exception {
        request.setHeader("Accept-Encoding", "gzip, deflate");
        return chain.answer(request);
    }

    @Test
    void anInsufficientQuotaAnswerCompressedForAClientThatAcceptsGzipStillSetsTheKeyAside() throws Exception {
        // The official SDKs send Accept-Encoding: gzip, and the proxy passes it on (behaviour.md §8).
        upstream.on(K1, gzipped(429, OPENAI_QUOTA)).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        assertThat(acceptingGzip(chain.chat("gpt-a")).status()).isEqualTo(200);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
    }

    @Test
    void anAnthropicCreditBalance400CompressedWithGzipStillSetsTheKeyAside() throws Exception {
        upstream.on(K1, gzipped(400, ANTHROPIC_CREDIT)).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.anthropic());

        assertThat(acceptingGzip(chain.post("/v1/messages", "{\"model\":\"claude-test\"}")).status()).isEqualTo(200);

        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
    }

    @Test
    void aCompressedPlain400ReachesTheClientStillCompressedByteForByte() throws Exception {
        byte[] compressed = gzip(ANTHROPIC_BAD_REQUEST);
        upstream.on(K1, gzipped(400, ANTHROPIC_BAD_REQUEST)).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.anthropic());

        ChainFixture.Answer answer = acceptingGzip(chain.post("/v1/messages", "{\"model\":\"claude-test\"}"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(answer.bytes()).isEqualTo(compressed);
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void aLargeCompressedQuotaAnswerIsJudgedFromTheStartOfWhatItDecodesTo() throws Exception {
        // Incompressible padding: the compressed body is far beyond the bytes the judgement reads.
        byte[] noise = new byte[512 * 1024];
        new Random(3).nextBytes(noise);
        String padded = OPENAI_QUOTA.substring(0, OPENAI_QUOTA.length() - 1) + ",\"padding\":\""
                + java.util.Base64.getEncoder().encodeToString(noise) + "\"}";
        upstream.on(K1, gzipped(429, padded)).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        assertThat(acceptingGzip(chain.chat("gpt-a")).status()).isEqualTo(200);

        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
        assertThat(chain.client().connectionStats().getLeased()).isZero();
    }

    @Test
    void aDeflatedQuotaAnswerIsRecognisedToo() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(bytes)) {
            out.write(OPENAI_QUOTA.getBytes(StandardCharsets.UTF_8));
        }
        upstream.on(K1, FakeUpstream.json(429, "").withBody(bytes.toByteArray()).withHeader("Content-Encoding",
                "deflate")).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        acceptingGzip(chain.chat("gpt-a"));

        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
    }

    @Test
    void aCompressionBombIsDecodedOnlyAsFarAsTheJudgementReads() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                out.write(zeros);
            }
        }
        upstream.on(K1, FakeUpstream.rateLimited("30").withBody(bytes.toByteArray())
                .withHeader("Content-Encoding", "gzip")).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi());

        assertThat(acceptingGzip(chain.chat("gpt-a")).status()).isEqualTo(200);

        assertThat(key(0).models()).singleElement().satisfies(model ->
                assertThat(model.cooldownRemaining()).isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void aBodyInAnEncodingThatCannotBeDecodedKeepsTheVerdictOfItsStatus() throws Exception {
        byte[] opaque = {(byte) 0x1b, 0x2a, 0x00, 0x7f, 0x42};
        upstream.on(K1, FakeUpstream.json(400, "").withBody(opaque).withHeader("Content-Encoding", "br"))
                .on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.anthropic());

        ChainFixture.Answer answer = acceptingGzip(chain.post("/v1/messages", "{\"model\":\"claude-test\"}"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.bytes()).isEqualTo(opaque);
        assertThat(key(0).state()).isEqualTo(KeyState.VALID);
    }

    /** A client with one pooled connection and a short wait for it: a leaked lease shows as a timeout. */
    private void oneConnectionClient(Provider provider) {
        chain.client(provider, null, FailoverSettings.defaults(),
                new ClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2), 1));
    }

    @Test
    void a429WithA200KiBBodyIsJudgedFromItsStartFailsOverAndLeavesNoConnectionLeased() throws Exception {
        char[] padding = new char[200 * 1024];
        Arrays.fill(padding, ' ');
        String huge = OPENAI_QUOTA.substring(0, OPENAI_QUOTA.length() - 1) + ",\"padding\":\"" + new String(padding)
                + "\"}";
        upstream.on(K1, FakeUpstream.json(429, huge)).on(K2, FakeUpstream.ok("{}"));
        oneConnectionClient(chain.openAi());

        for (int i = 0; i < 3; i++) {
            assertThat(chat("gpt-a").status()).isEqualTo(200);
            assertThat(chain.client().connectionStats().getLeased()).isZero();
        }

        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K2, K2);
        assertThat(key(0).state()).isEqualTo(KeyState.EXHAUSTED);
    }

    @Test
    void a429WithA200KiBBodyThatIsNotJsonIsAnOrdinaryRateLimit() throws Exception {
        byte[] garbage = new byte[200 * 1024];
        new Random(7).nextBytes(garbage);
        upstream.on(K1, FakeUpstream.rateLimited("30").withBody(garbage)).on(K2, FakeUpstream.ok("{}"));
        oneConnectionClient(chain.openAi());

        assertThat(chat("gpt-a").status()).isEqualTo(200);

        assertThat(chain.client().connectionStats().getLeased()).isZero();
        assertThat(key(0).models()).singleElement().satisfies(model -> {
            assertThat(model.model()).isEqualTo("gpt-a");
            assertThat(model.cooldownRemaining()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void a400WithA100KiBBodyNotAboutCreditReachesTheClientByteForByte() throws Exception {
        // Distinct bytes all along, so a lost, repeated or reordered piece around the 64 KiB peek shows.
        StringBuilder text = new StringBuilder("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"");
        for (int i = 0; text.length() < 100 * 1024; i++) {
            text.append(i).append(' ');
        }
        text.append("\"}}");
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        upstream.on(K1, FakeUpstream.json(400, "").withBody(body)).on(K2, FakeUpstream.ok("{}"));
        oneConnectionClient(chain.anthropic());

        ChainFixture.Answer answer = messages();

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.bytes()).hasSize(body.length).isEqualTo(body);
        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(chain.client().connectionStats().getLeased()).isZero();
        assertThat(messages().status()).as("the connection is usable again").isEqualTo(400);
    }
}
