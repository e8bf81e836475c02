package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import dev.keyfailover.settings.RetrySettings;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The client {@link ProviderClient#create} builds: both handlers in its chain, proxy-safe settings (behaviour.md §4, 7, 8). */
class ProviderClientChainTest {

    private static final String K1 = "sk-chain-first-key-0000000001";
    private static final String K2 = "sk-chain-second-key-000000002";

    @TempDir
    Path dumpRoot;

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2);
    private final FakeUpstream upstream = chain.upstream();
    private final MutableClock clock = chain.clock();

    private void client(ApiDump dump) {
        chain.client(chain.openAi(), dump, FailoverSettings.defaults(), ChainFixture.CLIENT_SETTINGS);
    }

    private ClassicHttpRequest post(String path) {
        return chain.post(path, "{\"q\":1}");
    }

    @Test
    void bothHandlersAreInTheChainAndTheDumpSeesEveryAttempt() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("9")).on(K2, FakeUpstream.ok("{\"id\":2}"));
        ApiDump dump = new ApiDump(dumpRoot, "openai", clock, CredentialMasker.of(chain.openAi()), new ThrottledLines());
        client(dump);
        HttpClientContext context = HttpClientContext.create();

        try (ClassicHttpResponse response = chain.execute(post("/v1/chat/completions"), context)) {
            assertThat(response.getCode()).isEqualTo(200);
            assertThat(EntityUtils.toString(response.getEntity())).isEqualTo("{\"id\":2}");
        }

        // Failover happened (two keys upstream) and the dump, inside it, wrote one pair per attempt.
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        try (Stream<Path> files = Files.list(dump.directory())) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .hasSize(4)
                    .anyMatch(n -> n.endsWith("-a1.request.txt"))
                    .anyMatch(n -> n.endsWith("-a2.response.txt"));
        }
        assertThat(Exchange.of(context).attempts()).isEqualTo(2);
        assertThat(Exchange.of(context).byok()).isFalse();
    }

    @Test
    void withoutADumpFailoverStillWorks() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{}"));
        client(null);

        try (ClassicHttpResponse response = chain.execute(post("/v1/x"))) {
            assertThat(response.getCode()).isEqualTo(200);
        }
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        try (Stream<Path> files = Files.list(dumpRoot)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void serverSentEventsArriveOneByOne() throws Exception {
        FakeUpstream.SseStream stream = FakeUpstream.sse(
                "data: {\"delta\":\"Hel\"}\n\n", "data: {\"delta\":\"lo\"}\n\n", "data: [DONE]\n\n");
        upstream.on(K1, stream);
        client(new ApiDump(dumpRoot, "openai", clock, CredentialMasker.of(chain.openAi()), new ThrottledLines()));

        // Headers arrive before any event was released.
        try (ClassicHttpResponse response = chain.execute(post("/v1/chat/completions"));
             BufferedReader events = new BufferedReader(
                     new InputStreamReader(response.getEntity().getContent(), StandardCharsets.UTF_8))) {
            assertThat(response.getCode()).isEqualTo(200);
            assertThat(response.getFirstHeader("Content-Type").getValue()).startsWith("text/event-stream");
            assertThat(stream.sent()).isZero();

            stream.release(1);
            assertThat(events.readLine()).isEqualTo("data: {\"delta\":\"Hel\"}");
            assertThat(events.readLine()).isEmpty();
            // The first event was read while the second is still held upstream.
            assertThat(stream.sent()).isLessThan(2);

            stream.release(1);
            assertThat(events.readLine()).isEqualTo("data: {\"delta\":\"lo\"}");
            assertThat(events.readLine()).isEmpty();
            assertThat(stream.sent()).isLessThan(3);

            stream.release(1);
            assertThat(events.readLine()).isEqualTo("data: [DONE]");
            assertThat(events.readLine()).isEmpty();
            assertThat(events.readLine()).isNull();
        }
        await().atMost(Duration.ofSeconds(5)).until(stream::finished);
        assertThat(chain.client().connectionStats().getLeased()).isZero();
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        upstream.on(K1, FakeUpstream.json(302, "{}").withHeader("Location", "/elsewhere"));
        client(null);

        try (ClassicHttpResponse response = chain.execute(post("/v1/x"))) {
            assertThat(response.getCode()).isEqualTo(302);
            assertThat(response.getFirstHeader("Location").getValue()).endsWith("/elsewhere");
        }
        assertThat(upstream.requests()).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo("/v1/x"));
    }

    @Test
    void aBasicChallengeIsNeverAnsweredButJudgedByTheFailover() throws Exception {
        // ProxyProtocolExec stands in for HttpClient's ProtocolExec: no authentication, a 401 is a key's verdict.
        upstream.on(K1, FakeUpstream.json(401, "{}").withHeader("WWW-Authenticate", "Basic realm=\"x\""))
                .on(K2, FakeUpstream.ok("{\"id\":2}"));
        client(null);

        for (int i = 0; i < 3; i++) {
            try (ClassicHttpResponse response = chain.execute(post("/v1/chat/completions"))) {
                assertThat(response.getCode()).isEqualTo(200);
                assertThat(EntityUtils.toString(response.getEntity())).isEqualTo("{\"id\":2}");
            }
        }
        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K2, K2);
        assertThat(upstream.requests()).noneMatch(r -> r.header("Authorization") != null
                && r.header("Authorization").startsWith("Basic"));
        assertThat(chain.client().connectionStats().getLeased()).isZero();
    }

    @Test
    void compressedBodiesArePassedAsBytes() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("{\"compressed\":true}".getBytes(StandardCharsets.UTF_8));
        }
        upstream.on(K1, FakeUpstream.ok("").withBody(gz.toByteArray()).withHeader("Content-Encoding", "gzip"));
        client(null);
        ClassicHttpRequest request = post("/v1/x");
        request.addHeader("Accept-Encoding", "gzip");

        try (ClassicHttpResponse response = chain.execute(request)) {
            assertThat(response.getFirstHeader("Content-Encoding").getValue()).isEqualTo("gzip");
            assertThat(EntityUtils.toByteArray(response.getEntity())).isEqualTo(gz.toByteArray());
        }
        assertThat(upstream.requests().get(0).headerValues("Accept-Encoding")).containsExactly("gzip");
    }

    @Test
    void noAutomaticRetryOfHttpClientsOwnOn503() throws Exception {
        upstream.on(K1, FakeUpstream.status(503).withHeader("Retry-After", "1"));
        chain.retrySettings(RetrySettings.none());
        client(null);

        try (ClassicHttpResponse response = chain.execute(post("/v1/x"))) {
            assertThat(response.getCode()).isEqualTo(503);
        }
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void cookiesAreNotKeptAndNoUserAgentIsInvented() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{}").withHeader("Set-Cookie", "session=abc; Path=/"));
        client(null);

        for (int i = 0; i < 2; i++) {
            try (ClassicHttpResponse response = chain.execute(post("/v1/x"))) {
                EntityUtils.consume(response.getEntity());
            }
        }
        assertThat(upstream.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.header("Cookie")).isNull();
            assertThat(r.header("User-Agent")).isNull();
        });
    }

    @Test
    void providerWithoutPoolForwardsOnceWithoutKey() throws Exception {
        upstream.otherwise(FakeUpstream.status(429));
        chain.clientWithoutPool(chain.openAi());

        try (ClassicHttpResponse response = chain.execute(post("/v1/x"))) {
            assertThat(response.getCode()).isEqualTo(429);
        }
        assertThat(upstream.requests()).singleElement()
                .satisfies(r -> assertThat(r.header("Authorization")).isNull());
    }
}
