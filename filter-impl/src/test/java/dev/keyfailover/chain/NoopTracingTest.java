package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyfailover.testing.FakeUpstream;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * behaviour.md §17 when no SDK is installed: the chain (traced through the global OpenTelemetry,
 * the API's no-op here) fails over as always, keeps no span state for the request and adds no
 * header upstream.
 */
class NoopTracingTest {

    private static final String LIMITED = "sk-noop-limited-00000000001";
    private static final String GOOD = "sk-noop-good-0000000000002";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(LIMITED, GOOD);

    @Test
    void withTheApisNoopAPoolRequestKeepsNoSpansAndSendsNoTraceparent() throws Exception {
        chain.upstream().on(LIMITED, FakeUpstream.rateLimited("9")).on(GOOD, FakeUpstream.ok("{\"id\":2}"));
        chain.client(chain.openAi());
        HttpClientContext context = HttpClientContext.create();

        assertThat(chain.send(chain.chat("gpt-4o"), context)).isEqualTo("200 {\"id\":2}");

        assertThat(chain.upstream().keysSeen()).containsExactly(LIMITED, GOOD);
        assertThat(RequestSpans.of(context)).isNull();
        assertThat(chain.upstream().requests()).allSatisfy(sent -> assertThat(sent.header("traceparent")).isNull());
    }
}
