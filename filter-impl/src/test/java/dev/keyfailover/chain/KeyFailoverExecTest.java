package dev.keyfailover.chain;

import dev.keyfailover.settings.ClientSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.settings.RetrySettings;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import org.apache.hc.client5.http.utils.DateUtils;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Key failover over real sockets against a fake upstream (behaviour.md §2, §3 and §4), with the
 * whole-key cooldowns of those sections ({@code cooldownScope=key}); per-model cooldowns have
 * their own tests ({@code ModelScopeTest}).
 */
class KeyFailoverExecTest {

    static final String K1 = "sk-test-first-key-000000000001";
    static final String K2 = "sk-test-second-key-00000000002";
    static final String K3 = "sk-test-third-key-000000000003";
    static final String BODY = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2, K3)
            .poolSettings(PoolSettings.defaults().withCooldownScope(PoolSettings.CooldownScope.KEY));
    private final FakeUpstream upstream = chain.upstream();
    private final MutableClock clock = chain.clock();

    private ProviderClient openAi(Map<String, String> properties, String... keys) {
        chain.keys(keys);
        return chain.client(chain.openAi(properties));
    }

    private static ClassicHttpRequest chatRequest(URI base) {
        return ClassicRequestBuilder.post(base.resolve("/v1/chat/completions"))
                .setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON))
                .build();
    }

    /** Executes, reads the whole answer and closes it. */
    private Answer send(ClassicHttpRequest request) throws Exception {
        try (ClassicHttpResponse response = chain.execute(request)) {
            String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
            return new Answer(response.getCode(), body, response);
        }
    }

    record Answer(int status, String body, ClassicHttpResponse response) {
        String header(String name) {
            return response.getFirstHeader(name) == null ? null : response.getFirstHeader(name).getValue();
        }
    }

    private KeySnapshot key(int index) {
        return chain.pool().snapshot().get(index);
    }

    @Test
    void triesKeysInOrderUntilOneAnswers() throws Exception {
        upstream.on(K1, FakeUpstream.status(401))
                .on(K2, FakeUpstream.rateLimited("30"))
                .on(K3, FakeUpstream.ok("{\"id\":\"from-third\"}"));
        openAi(Map.of(), K1, K2, K3);

        Answer answer = send(chatRequest(upstream.baseUri()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"id\":\"from-third\"}");
        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K3);
        assertThat(upstream.requests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/v1/chat/completions");
            assertThat(r.headerValues("Authorization")).hasSize(1);
        });
        assertThat(key(0).state()).isEqualTo(KeyState.DISABLED);
        assertThat(key(1).state()).isEqualTo(KeyState.COOLING);
        assertThat(key(1).cooldownRemaining()).isEqualTo(Duration.ofSeconds(30));
        assertThat(key(2).state()).isEqualTo(KeyState.VALID);
        assertThat(key(2).successes()).isEqualTo(1);
    }

    @Test
    void nextRequestStartsAtFirstUsableKeyAndSkipsMarkedOnes() throws Exception {
        upstream.on(K1, FakeUpstream.status(401))
                .on(K2, FakeUpstream.rateLimited("30"))
                .on(K3, FakeUpstream.ok("{}"));
        openAi(Map.of(), K1, K2, K3);
        send(chatRequest(upstream.baseUri()));
        upstream.clearRequests();

        assertThat(send(chatRequest(upstream.baseUri())).status()).isEqualTo(200);
        assertThat(upstream.keysSeen()).containsExactly(K3);

        // The cooldown ends by the clock alone: the second key is the first usable one again.
        clock.advance(Duration.ofSeconds(30));
        upstream.on(K2, FakeUpstream.ok("{}"));
        upstream.clearRequests();
        assertThat(send(chatRequest(upstream.baseUri())).status()).isEqualTo(200);
        assertThat(upstream.keysSeen()).containsExactly(K2);
    }

    static Stream<Arguments> retryHints() {
        MutableClock start = MutableClock.atFixedStart();
        return Stream.of(
                Arguments.of("delta-seconds", FakeUpstream.rateLimited("120"), Duration.ofSeconds(120)),
                Arguments.of("HTTP-date", FakeUpstream.rateLimited(
                        DateUtils.formatStandardDate(start.instant().plusSeconds(300))), Duration.ofSeconds(300)),
                Arguments.of("retry-after-ms", FakeUpstream.rateLimitedMillis(1500), Duration.ofMillis(1500)),
                Arguments.of("ms wins over Retry-After",
                        FakeUpstream.rateLimitedMillis(2500).withHeader("Retry-After", "90"), Duration.ofMillis(2500)),
                Arguments.of("absent", FakeUpstream.status(429), Duration.ofSeconds(60)),
                Arguments.of("unparsable", FakeUpstream.rateLimited("soon"), Duration.ofSeconds(60)),
                Arguments.of("zero", FakeUpstream.rateLimited("0"), Duration.ofSeconds(60)),
                Arguments.of("above the cap", FakeUpstream.rateLimited("86400"), Duration.ofHours(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retryHints")
    void rateLimitCoolsKeyForAdvisedWait(String form, FakeUpstream.Reply reply, Duration expected) throws Exception {
        upstream.on(K1, reply).on(K2, FakeUpstream.ok("{}"));
        openAi(Map.of(), K1, K2);

        assertThat(send(chatRequest(upstream.baseUri())).status()).isEqualTo(200);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(key(0).state()).isEqualTo(KeyState.COOLING);
        assertThat(key(0).cooldownRemaining()).isEqualTo(expected);
        clock.advance(expected);
        assertThat(key(0).state()).isEqualTo(KeyState.VALID);
    }

    @Test
    void forbiddenSkipsKeyForThisRequestOnly() throws Exception {
        upstream.on(K1, FakeUpstream.json(403, "{\"error\":{\"message\":\"model not allowed\"}}"))
                .on(K2, FakeUpstream.ok("{\"id\":\"second\"}"));
        openAi(Map.of(), K1, K2);

        Answer answer = send(chatRequest(upstream.baseUri()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("second");
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(key(0).state()).isEqualTo(KeyState.VALID);
        assertThat(key(0).lastStatus()).isEqualTo(403);

        // Still VALID: the next request tries it first again.
        upstream.clearRequests();
        send(chatRequest(upstream.baseUri()));
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
    }

    @Test
    void whenEveryKeyRefusesTheLastRefusalReachesTheClientUnchanged() throws Exception {
        upstream.on(K1, FakeUpstream.json(403, "{\"error\":{\"message\":\"first refusal\"}}"))
                .on(K2, FakeUpstream.json(403, "{\"error\":{\"message\":\"second refusal\"}}")
                        .withHeader("X-Request-Id", "req-2"));
        openAi(Map.of(), K1, K2);

        Answer answer = send(chatRequest(upstream.baseUri()));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).isEqualTo("{\"error\":{\"message\":\"second refusal\"}}");
        assertThat(answer.header("X-Request-Id")).isEqualTo("req-2");
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
    }

    @Test
    void refusalDoesNotHideARateLimit() throws Exception {
        // A cooling key means "try later", which beats "refused" (behaviour.md §6 order).
        upstream.on(K1, FakeUpstream.json(403, "{\"error\":{\"message\":\"refused\"}}"))
                .on(K2, FakeUpstream.rateLimited("20"));
        openAi(Map.of(), K1, K2);

        Answer answer = send(chatRequest(upstream.baseUri()));

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("Retry-After")).isEqualTo("20");
    }

    @Test
    void on403DisableDisablesTheKey() throws Exception {
        upstream.on(K1, FakeUpstream.status(403)).on(K2, FakeUpstream.ok("{}"));
        openAi(Map.of("on403", "disable"), K1, K2);

        assertThat(send(chatRequest(upstream.baseUri())).status()).isEqualTo(200);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(key(0).state()).isEqualTo(KeyState.DISABLED);
    }

    @Test
    void on403PassGivesTheClientThe403WithoutFailover() throws Exception {
        upstream.on(K1, FakeUpstream.json(403, "{\"error\":\"nope\"}")).on(K2, FakeUpstream.ok("{}"));
        openAi(Map.of("on403", "pass"), K1, K2);

        Answer answer = send(chatRequest(upstream.baseUri()));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).isEqualTo("{\"error\":\"nope\"}");
        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(key(0).state()).isEqualTo(KeyState.VALID);
    }

    @Test
    void extraFailoverStatusesFollowTheirRule() throws Exception {
        upstream.on(K1, FakeUpstream.status(529).withHeader("Retry-After", "45"))
                .on(K2, FakeUpstream.status(402))
                .on(K3, FakeUpstream.ok("{}"));
        openAi(Map.of("failoverOn", "529, 402:skip"), K1, K2, K3);
        // 402 would be an empty balance by default (§9); failoverOn makes it a skip for this route.

        assertThat(send(chatRequest(upstream.baseUri())).status()).isEqualTo(200);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K3);
        assertThat(key(0).state()).isEqualTo(KeyState.COOLING);
        assertThat(key(0).cooldownRemaining()).isEqualTo(Duration.ofSeconds(45));
        assertThat(key(1).state()).isEqualTo(KeyState.VALID);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409, 422, 501})
    void otherStatusesPassThroughAfterOneAttempt(int status) throws Exception {
        String body = "{\"error\":{\"message\":\"upstream said " + status + "\"}}";
        upstream.on(K1, FakeUpstream.json(status, body).withHeader("Retry-After", "5"))
                .on(K2, FakeUpstream.ok("{}"));
        openAi(Map.of(), K1, K2);

        Answer answer = send(chatRequest(upstream.baseUri()));

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body()).isEqualTo(body);
        assertThat(answer.header("x-should-retry")).isNull();
        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 529})
    void withoutRetriesServerErrorsPassThroughAfterOneAttempt(int status) throws Exception {
        String body = "{\"error\":{\"message\":\"upstream said " + status + "\"}}";
        upstream.on(K1, FakeUpstream.json(status, body).withHeader("Retry-After", "5"))
                .on(K2, FakeUpstream.ok("{}"));
        chain.retrySettings(RetrySettings.none());
        openAi(Map.of(), K1, K2);

        Answer answer = send(chatRequest(upstream.baseUri()));

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body()).isEqualTo(body);
        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
    }

    @Test
    void withoutRetriesConnectionRefusedIsThrownWithoutMarkingOrFailover() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + closedPort() + "/");
        chain.keys(K1, K2);
        chain.retrySettings(RetrySettings.none());
        chain.client(chain.openAiAt(closed), null, FailoverSettings.defaults(),
                ClientSettings.defaults().withConnectTimeout(Duration.ofSeconds(2)));

        assertThatThrownBy(() -> send(chatRequest(closed))).isInstanceOf(ConnectException.class);

        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
        assertThat(key(0).attempts()).isEqualTo(1);
        assertThat(key(0).lastStatus()).isEqualTo(-1);
        assertThat(key(1).attempts()).isZero();
    }

    @Test
    void stalledUpstreamTimesOutWithoutMarkingOrFailover() throws Exception {
        FakeUpstream.Stall stall = FakeUpstream.stall();
        upstream.on(K1, stall).on(K2, FakeUpstream.ok("{}"));
        chain.keys(K1, K2);
        chain.client(chain.openAi(), null, FailoverSettings.defaults(),
                ClientSettings.defaults().withResponseTimeout(Duration.ofMillis(300)));

        assertThatThrownBy(() -> send(chatRequest(upstream.baseUri()))).isInstanceOf(SocketTimeoutException.class);

        stall.release();
        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
        assertThat(key(0).lastStatus()).isEqualTo(-1);
        assertThat(key(1).attempts()).isZero();
    }

    @Test
    void eachAttemptCarriesOnlyItsOwnKeyAndTheOriginalRequestIsUntouched() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("10")).on(K2, FakeUpstream.ok("{}"));
        openAi(Map.of(), K1, K2);
        ClassicHttpRequest request = ClassicRequestBuilder.post(upstream.baseUri().resolve("/v1/chat/completions?x=1"))
                .addHeader("OpenAI-Beta", "assistants=v2")
                .setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON))
                .build();

        send(request);

        assertThat(upstream.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.query()).isEqualTo("x=1");
            assertThat(r.header("OpenAI-Beta")).isEqualTo("assistants=v2");
            assertThat(r.header("Content-Type")).startsWith("application/json");
        });
        assertThat(upstream.requests().get(0).headerValues("Authorization")).containsExactly("Bearer " + K1);
        assertThat(upstream.requests().get(1).headerValues("Authorization")).containsExactly("Bearer " + K2);
        assertThat(request.containsHeader("Authorization")).isFalse();
    }

    @Test
    void anthropicKeyTravelsAsXApiKey() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{}"));
        chain.keys(K1, K2);
        chain.client(chain.anthropic(), null, FailoverSettings.defaults(), ClientSettings.defaults());
        ClassicHttpRequest request = ClassicRequestBuilder.post(upstream.baseUri().resolve("/v1/messages"))
                .addHeader("anthropic-version", "2023-06-01")
                .setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON))
                .build();

        assertThat(send(request).status()).isEqualTo(200);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(upstream.requests()).allSatisfy(r -> {
            assertThat(r.header("Authorization")).isNull();
            assertThat(r.header("anthropic-version")).isEqualTo("2023-06-01");
        });
        assertThat(upstream.requests().get(1).headerValues("X-Api-Key")).containsExactly(K2);
    }

    @Test
    void disabledKeyIsReCheckedWhenDueAndComesBack() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{}"));
        openAi(Map.of(), K1, K2);
        send(chatRequest(upstream.baseUri()));
        assertThat(key(0).state()).isEqualTo(KeyState.DISABLED);

        upstream.clearRequests();
        send(chatRequest(upstream.baseUri()));
        assertThat(upstream.keysSeen()).containsExactly(K2);

        clock.advance(PoolSettings.DEFAULT_AUTH_RECHECK);
        upstream.on(K1, FakeUpstream.ok("{}"));
        upstream.clearRequests();
        assertThat(send(chatRequest(upstream.baseUri())).status()).isEqualTo(200);
        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(key(0).state()).isEqualTo(KeyState.VALID);
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
