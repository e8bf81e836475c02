package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.settings.ClientSettings;
import dev.keyfailover.settings.RetrySettings;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.RawUpstream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * behaviour.md §18, transient failures and retries, over real sockets: a transient status, a
 * refused connection or a reset before the head is retried with the next usable key (a new walk
 * when the walk is used up) after a jittered, doubling backoff or upstream's Retry-After; no key is
 * marked; the retries and the request's budget are bounded. The pool waits by advancing the fake
 * clock ({@link ChainFixture#waits()}); the jitter is 1 unless a test says otherwise, so each retry
 * waits its whole backoff: 500 ms, then 1 s.
 */
class RetryTest {

    static final String K1 = "sk-test-first-key-000000000001";
    static final String K2 = "sk-test-second-key-00000000002";
    static final String BODY = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2);
    private final FakeUpstream upstream = chain.upstream();
    private final HttpClientContext context = HttpClientContext.create();
    private final Instant start = chain.clock().instant();

    private ClassicHttpRequest chat() {
        return chain.post("/v1/chat/completions", BODY);
    }

    private ChainFixture.Answer send(ClassicHttpRequest request) throws Exception {
        try (ClassicHttpResponse response = chain.execute(request, context)) {
            byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            return new ChainFixture.Answer(response.getCode(), body, response.getHeaders());
        }
    }

    /** A chat request to another upstream than the fixture's. */
    private static ClassicHttpRequest post(URI base) {
        return ClassicRequestBuilder.post(base.resolve("/v1/chat/completions"))
                .setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON)).build();
    }

    private Exchange exchange() {
        return Exchange.of(context);
    }

    private void assertNoKeyMarked() {
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
        assertThat(chain.pool().snapshot()).allSatisfy(key -> assertThat(key.models()).isEmpty());
    }

    /** Upstream answers {@code first} to the first request, then 200 {@code {"ok":true}}, whatever the key. */
    private static FakeUpstream.Behaviour once(FakeUpstream.Reply first, AtomicInteger requests) {
        return FakeUpstream.dynamic(request -> requests.getAndIncrement() == 0 ? first : FakeUpstream.ok("{\"ok\":true}"));
    }

    @Test
    void aServerErrorOnceIsRetriedWithTheNextKeyAndMarksNoKey() throws Exception {
        upstream.on(K1, FakeUpstream.status(500)).on(K2, FakeUpstream.ok("{\"ok\":true}"));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = send(chat());

        assertThat(answer.toString()).isEqualTo("200 {\"ok\":true}");
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(chain.waits()).containsExactly(Duration.ofMillis(500));
        assertThat(exchange().attempts()).isEqualTo(2);
        assertThat(exchange().retriesSpent()).isFalse();
        assertNoKeyMarked();
    }

    @Test
    void aServerErrorOnceOnTheOnlyKeyIsRetriedWithItInANewWalk() throws Exception {
        chain.keys(K1);
        upstream.on(K1, once(FakeUpstream.status(500), new AtomicInteger()));
        chain.client(chain.openAi());

        assertThat(send(chat()).toString()).isEqualTo("200 {\"ok\":true}");
        assertThat(upstream.keysSeen()).containsExactly(K1, K1);
        assertNoKeyMarked();
    }

    @Test
    void a503ForGoodReachesTheClientAfterOnePlusRetriesAttemptsMarkedNotToRetry() throws Exception {
        upstream.otherwise(FakeUpstream.json(503, "{\"error\":{\"message\":\"overloaded\"}}")
                .withHeader("x-should-retry", "true"));
        chain.client(chain.openAi());

        ChainFixture.Answer answer = send(chat());

        assertThat(answer.toString()).isEqualTo("503 {\"error\":{\"message\":\"overloaded\"}}");
        assertThat(upstream.keysSeen()).as("next key, then a new walk").containsExactly(K1, K2, K1);
        assertThat(chain.waits()).as("full jitter at 1: the doubling backoff")
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(exchange().attempts()).isEqualTo(3);
        assertThat(exchange().retriesSpent()).as("x-should-retry: false (added by the servlet)").isTrue();
        assertNoKeyMarked();
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::attempts).containsExactly(2L, 1L);
    }

    @Test
    void theRetriesAreTheRoutesOwnNumber() throws Exception {
        upstream.otherwise(FakeUpstream.status(502));
        chain.retrySettings(RetrySettings.defaults().withRetries(4)).client(chain.openAi());

        assertThat(send(chat()).status()).isEqualTo(502);
        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K1, K2, K1);
        assertThat(chain.waits()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4));
    }

    @Test
    void withoutRetriesATransientStatusIsPassedOnAtOnceAndNotMarkedNotToRetry() throws Exception {
        upstream.otherwise(FakeUpstream.status(503));
        chain.retrySettings(RetrySettings.none()).client(chain.openAi());

        assertThat(send(chat()).status()).isEqualTo(503);
        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(chain.waits()).isEmpty();
        assertThat(exchange().retriesSpent()).isFalse();
    }

    @Test
    void eachRetryWaitsAJitteredShareOfItsBackoff() throws Exception {
        double[] shares = {0.25, 0.75};
        AtomicInteger draws = new AtomicInteger();
        upstream.otherwise(FakeUpstream.status(500));
        chain.jitter(() -> shares[draws.getAndIncrement()]).client(chain.openAi());

        send(chat());

        assertThat(chain.waits()).containsExactly(Duration.ofMillis(125), Duration.ofMillis(750));
    }

    @Test
    void a529WithARetryAfterWithinMaxRetryWaitIsWaitedForThenRetried() throws Exception {
        upstream.on(K1, FakeUpstream.status(529).withHeader("Retry-After", "2"))
                .on(K2, FakeUpstream.ok("{\"ok\":true}"));
        chain.client(chain.anthropic());

        assertThat(send(chain.post("/v1/messages", BODY)).status()).isEqualTo(200);
        assertThat(chain.waits()).as("upstream's wait, not the backoff").containsExactly(Duration.ofSeconds(2));
        assertThat(chain.clock().instant()).isEqualTo(start.plusSeconds(2));
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertNoKeyMarked();
    }

    @Test
    void a529WithARetryAfterBeyondMaxRetryWaitIsPassedOnAtOnceWithItsRetryAfter() throws Exception {
        upstream.on(K1, FakeUpstream.json(529, "{\"type\":\"error\"}").withHeader("Retry-After", "60"))
                .on(K2, FakeUpstream.ok("{\"ok\":true}"));
        chain.client(chain.anthropic());

        ChainFixture.Answer answer = send(chain.post("/v1/messages", BODY));

        assertThat(answer.status()).isEqualTo(529);
        assertThat(answer.header("Retry-After")).isEqualTo("60");
        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(chain.waits()).isEmpty();
        assertThat(exchange().retriesSpent()).as("the client may wait for it itself").isFalse();
        assertNoKeyMarked();
    }

    @Test
    void aStatusFailoverOnNamesFollowsItsRuleInsteadOfBeingRetried() throws Exception {
        upstream.on(K1, FakeUpstream.status(503)).on(K2, FakeUpstream.ok("{\"ok\":true}"));
        chain.client(chain.openAi(Map.of("failoverOn", "503")));

        assertThat(send(chat()).status()).isEqualTo(200);
        assertThat(chain.waits()).as("a key's fault: no backoff").isEmpty();
        assertThat(chain.pool().snapshot().get(0).models()).as("the failoverOn cooldown marks the key")
                .singleElement().satisfies(model -> assertThat(model.cooldownRemaining()).isPositive());
    }

    @Test
    void onlyTheRoutesTransientStatusesAreRetried() throws Exception {
        upstream.on(K1, FakeUpstream.status(503)).on(K2, FakeUpstream.ok("{\"ok\":true}"));
        chain.retrySettings(new RetrySettings(2, Set.of(500), Duration.ofMillis(500), Duration.ofSeconds(10),
                Optional.empty())).client(chain.openAi());

        assertThat(send(chat()).status()).isEqualTo(503);
        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void aRefusedConnectionIsRetriedThenThrownMarkedNotToRetryAndMarksNoKey() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + KeyFailoverExecTest.closedPort() + "/");
        chain.client(chain.openAiAt(closed), null, FailoverSettings.defaults(),
                ClientSettings.defaults().withConnectTimeout(Duration.ofSeconds(2)));

        assertThatThrownBy(() -> send(post(closed))).isInstanceOf(ConnectException.class);

        assertThat(chain.waits()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(exchange().attempts()).isEqualTo(3);
        assertThat(exchange().retriesSpent()).as("the servlet's 502 gets x-should-retry: false").isTrue();
        assertNoKeyMarked();
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::lastStatus).containsOnly(-1);
    }

    @Test
    void aResetBeforeTheHeadIsRetriedWithTheNextKey() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (RawUpstream raw = RawUpstream.start((socket, out) -> {
            if (connections.getAndIncrement() == 0) {
                socket.setSoLinger(true, 0);
                socket.close();
                return;
            }
            readBody(socket.getInputStream());
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
                    + "Connection: close\r\n\r\n{\"ok\":true}").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        })) {
            chain.client(chain.openAiAt(raw.baseUri()));

            ChainFixture.Answer answer = send(post(raw.baseUri()));

            assertThat(answer.toString()).isEqualTo("200 {\"ok\":true}");
            assertThat(raw.connections()).isEqualTo(2);
            assertThat(chain.waits()).containsExactly(Duration.ofMillis(500));
            assertThat(chain.pool().snapshot()).extracting(KeySnapshot::lastStatus).containsExactly(-1, 200);
            assertNoKeyMarked();
        }
    }

    private static void readBody(InputStream in) throws IOException {
        in.readNBytes(BODY.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aTimeoutIsNeverRetried() throws Exception {
        FakeUpstream.Stall stall = FakeUpstream.stall();
        upstream.on(K1, stall).on(K2, FakeUpstream.ok("{}"));
        chain.client(chain.openAi(), null, FailoverSettings.defaults(),
                ClientSettings.defaults().withResponseTimeout(Duration.ofSeconds(1)));

        assertThatThrownBy(() -> send(chat())).isInstanceOf(java.net.SocketTimeoutException.class);

        stall.release();
        assertThat(stall.held()).isEqualTo(1);
        assertThat(upstream.keysSeen()).containsExactly(K1);
        assertThat(chain.waits()).isEmpty();
        assertThat(exchange().retriesSpent()).isFalse();
    }

    @Test
    void aRequestWhoseClientWentAwayDuringTheWaitIsNotRetried() throws Exception {
        upstream.otherwise(FakeUpstream.status(503));
        HttpPost request = new HttpPost(upstream.baseUri().resolve("/v1/chat/completions"));
        request.setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON));
        // As the servlet does when the client goes away: the exchange is cancelled.
        chain.onWait(request::cancel).client(chain.openAi());

        assertThatThrownBy(() -> send(request)).isInstanceOf(InterruptedIOException.class);

        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void theRequestBudgetEndsTheRetriesWithA504InTheProvidersShape() throws Exception {
        upstream.otherwise(FakeUpstream.status(503));
        chain.retrySettings(RetrySettings.defaults().withRequestBudget(Duration.ofMillis(1200))).client(chain.openAi());

        ChainFixture.Answer answer = send(chat());

        assertThat(answer.status()).isEqualTo(504);
        JsonObject error = Json.createReader(new java.io.StringReader(answer.body())).readObject().getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("timeout");
        assertThat(error.getString("message")).contains("requestBudget");
        assertThat(chain.waits()).as("500 ms fits, the next 1 s would reach the deadline")
                .containsExactly(Duration.ofMillis(500));
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(exchange().deadline()).hasValue(start.plusMillis(1200));
        assertThat(exchange().origin()).isEqualTo(Exchange.Origin.PROXY);
        assertThat(exchange().retriesSpent()).isTrue();
        assertThat(RequestBudget.cutOf(exchange())).as("spent on the provider: its breaker counts a failure (§18)")
                .isEqualTo(RequestBudget.Cut.PROVIDER);
    }

    @Test
    void aDeadlineSetEarlierInTheExchangeIsHonoured() throws Exception {
        upstream.otherwise(FakeUpstream.ok("{}"));
        chain.client(chain.openAi());
        exchange().startBudget(chain.clock().instant(), Duration.ofMillis(1));
        chain.clock().advance(Duration.ofMillis(1));

        ChainFixture.Answer answer = send(chat());

        assertThat(answer.status()).as("a later route of the same request: the budget is spent").isEqualTo(504);
        assertThat(upstream.requests()).isEmpty();
        assertThat(RequestBudget.cutOf(exchange())).as("not spent on this route's provider").isEqualTo(RequestBudget.Cut.POOL);
    }

    @Test
    void aByokRequestIsSentOnceWhateverItsFailure() throws Exception {
        upstream.otherwise(FakeUpstream.status(503));
        chain.client(chain.openAi());
        ClassicHttpRequest request = chat();
        request.setHeader("Authorization", "Bearer sk-client-own-key-0000000009");

        assertThat(send(request).status()).isEqualTo(503);
        assertThat(upstream.keysSeen()).containsExactly("sk-client-own-key-0000000009");
        assertThat(chain.waits()).isEmpty();
        assertThat(exchange().retriesSpent()).isFalse();
        assertThat(chain.pool().snapshot()).extracting(KeySnapshot::attempts).containsOnly(0L);
    }

    @Test
    void aRouteWithoutKeysSendsOnce() throws Exception {
        upstream.otherwise(FakeUpstream.status(503));
        chain.clientWithoutPool(chain.openAi());

        assertThat(send(chat()).status()).isEqualTo(503);
        assertThat(upstream.requests()).hasSize(1);
    }
}
