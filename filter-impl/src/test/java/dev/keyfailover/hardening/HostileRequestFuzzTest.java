package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import org.junit.jupiter.api.Test;

/**
 * Seeded random paths and headers against a lenient container: whatever gets through reaches only
 * the configured upstream host, with exactly the prefix-stripped path below the base URL's path.
 */
class HostileRequestFuzzTest {

    static final long SEED = 20261124L;
    static final int ITERATIONS = 600;
    static final Duration TIME_BUDGET = Duration.ofSeconds(40);

    @Test
    void randomHostilePathsAndHeadersOnlyEverReachTheOwnHostWithThePrefixStrippedPath() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().otherwise(FakeUpstream.ok("{}"));
             FakeUpstream evil = FakeUpstream.start().otherwise(FakeUpstream.ok("{\"evil\":true}"))) {
            Map<String, String> params = Routes.openai(upstream.baseUri().resolve("/base"), "sk-pool-0000000000001",
                    null);
            HostileRequestGenerator generator = new HostileRequestGenerator(SEED, evil.baseUri().getAuthority());
            long deadline = System.nanoTime() + TIME_BUDGET.toNanos();
            int sent = 0;
            int forwarded = 0;
            try (ProxyServer proxy = ProxyServer.lenientServlet(params)) {
                for (; sent < ITERATIONS && System.nanoTime() < deadline; sent++) {
                    HostileRequestGenerator.Case attack = generator.next();
                    upstream.clearRequests();
                    String what = "seed " + SEED + " case " + sent + ": " + attack.description();

                    String answer = new String(RawHttp.exchangeBytes(proxy.port(), attack.bytes()),
                            StandardCharsets.ISO_8859_1);

                    assertThat(answer).as(what).matches("(?s)HTTP/1\\.1 [2-4]\\d\\d .*");
                    assertThat(evil.requests()).as(what).isEmpty();
                    UpstreamView.assertConfined(upstream, "/base", what);
                    assertThat(upstream.requests()).as(what).hasSizeLessThanOrEqualTo(1)
                            .allSatisfy(seen -> assertThat(seen.path()).as(what).isEqualTo("/base" + attack.rawRest()));
                    forwarded += upstream.requests().size();
                }
                Aftermath.assertClean(proxy, null);
            }
            assertThat(sent).as("cases tried within the time budget").isGreaterThanOrEqualTo(ITERATIONS / 2);
            assertThat(forwarded).as("cases that reached upstream (the fuzz must not be refused wholesale)")
                    .isGreaterThan(sent / 10);
            System.out.println("HostileRequestFuzzTest: " + sent + " cases, " + forwarded + " forwarded");
        }
    }
}
