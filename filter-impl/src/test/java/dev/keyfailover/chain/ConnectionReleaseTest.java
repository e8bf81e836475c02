package dev.keyfailover.chain;

import dev.keyfailover.settings.ClientSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Failed attempts give their pooled connection back; nothing leaks (behaviour.md §4, notes "Releasing responses"). */
class ConnectionReleaseTest {

    private static final String K1 = "sk-conn-first-key-00000000001";
    private static final String K2 = "sk-conn-second-key-0000000002";
    private static final String K3 = "sk-conn-third-key-000000000003";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2, K3);
    private final FakeUpstream upstream = chain.upstream();
    private final MutableClock clock = chain.clock();

    /** A client with a single pooled connection and a short wait for it: a leak shows as a timeout. */
    private void client(ApiDump dump, Duration responseTimeout) {
        chain.client(chain.openAi(), dump, FailoverSettings.defaults(),
                new ClientSettings(Duration.ofSeconds(2), responseTimeout, Duration.ofSeconds(2), 1));
    }

    private ClassicHttpRequest post() {
        return chain.post("/v1/chat/completions", "{\"q\":1}");
    }

    private String sendAndConsume() throws Exception {
        return chain.send(post());
    }

    private int leased() {
        return chain.client().connectionStats().getLeased();
    }

    @Test
    void noConnectionIsLeasedAfterFailovers() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.rateLimited("30"))
                .on(K3, FakeUpstream.ok("{\"done\":true}"));
        client(null, Duration.ofSeconds(5));

        assertThat(sendAndConsume()).isEqualTo("200 {\"done\":true}");

        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K3);
        assertThat(leased()).isZero();
    }

    @Test
    void oneConnectionServesManyFailoversInARow() throws Exception {
        // Every request fails over 403 -> 403 -> 200 on a pool of one connection.
        upstream.on(K1, FakeUpstream.status(403)).on(K2, FakeUpstream.status(403)).on(K3, FakeUpstream.ok("{}"));
        client(null, Duration.ofSeconds(5));

        for (int i = 0; i < 15; i++) {
            assertThat(sendAndConsume()).isEqualTo("200 {}");
            assertThat(leased()).isZero();
        }
        assertThat(upstream.requests()).hasSize(45);
        assertThat(chain.client().connectionStats().getAvailable()).isLessThanOrEqualTo(1);
    }

    @Test
    void aLargeErrorBodyIsNotDrainedButItsConnectionIsReleased(@TempDir Path dumpRoot) throws Exception {
        char[] filler = new char[200 * 1024];
        Arrays.fill(filler, 'e');
        upstream.on(K1, FakeUpstream.json(429, "{\"error\":\"" + new String(filler) + "\"}")
                        .withHeader("Retry-After", "10"))
                .on(K2, FakeUpstream.ok("{\"second\":true}"));
        client(new ApiDump(dumpRoot, "openai", clock,
                CredentialMasker.of(chain.openAi()), new ThrottledLines()), Duration.ofSeconds(5));

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(10));
            assertThat(sendAndConsume()).isEqualTo("200 {\"second\":true}");
            assertThat(leased()).isZero();
        }
        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K1, K2, K1, K2);
    }

    @Test
    void closingUnreadFinalResponseReleasesTheConnection() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{\"unread\":true}"));
        client(null, Duration.ofSeconds(5));

        try (ClassicHttpResponse response = chain.execute(post())) {
            assertThat(response.getCode()).isEqualTo(200);
            assertThat(leased()).isEqualTo(1);
        }
        assertThat(leased()).isZero();
        assertThat(sendAndConsume()).isEqualTo("200 {\"unread\":true}");
    }

    @Test
    void exhaustionAndRefusalAnswersHoldNoConnection() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("10")).on(K2, FakeUpstream.status(401))
                .on(K3, FakeUpstream.json(403, "{\"refused\":1}"));
        client(null, Duration.ofSeconds(5));

        try (ClassicHttpResponse response = chain.execute(post())) {
            assertThat(response.getCode()).isEqualTo(429);
            assertThat(leased()).isZero();
        }
        clock.advance(Duration.ofSeconds(10));
        upstream.on(K1, FakeUpstream.json(403, "{\"refused\":0}"));
        try (ClassicHttpResponse response = chain.execute(post())) {
            assertThat(response.getCode()).isEqualTo(403);
            assertThat(leased()).isZero();
            assertThat(EntityUtils.toString(response.getEntity())).isEqualTo("{\"refused\":1}");
        }
    }

    @Test
    void transportFailuresHoldNoConnection() throws Exception {
        FakeUpstream.Stall stall = FakeUpstream.stall();
        upstream.on(K1, stall).on(K2, FakeUpstream.ok("{}"));
        client(null, Duration.ofMillis(300));

        assertThatThrownBy(this::sendAndConsume).isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(leased()).isZero();

        stall.release();
        upstream.on(K1, FakeUpstream.ok("{\"after\":1}"));
        assertThat(sendAndConsume()).isEqualTo("200 {\"after\":1}");
        assertThat(leased()).isZero();
    }
}
