package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.provider.OpenAiProviderFactory;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.junit.jupiter.api.Test;

/**
 * Which headers {@link HeaderPolicy} copies each way (behaviour.md §8, §5), the same whether the
 * message's {@code Connection} names more headers or not: the usual message, whose hop-by-hop set
 * is the fixed list, is decided with the rules merged (issue 22), the other with them one by one.
 */
class HeaderPolicyCopyTest {

    private final HeaderPolicy policy = new HeaderPolicy(
            new OpenAiProviderFactory().create(new ProviderSettings("openai", URI.create("http://127.0.0.1:1"), Map.of())),
            false, List.of("x-proxy-token"), List.of("OpenAI-Organization"), false);
    private final Set<String> usual = policy.hopByHop(Collections.emptyIterator());
    private final Set<String> namingMore = policy.hopByHop(List.of("keep-alive, X-Hop").iterator());

    @Test
    void clientHeadersSetForTheUpstreamConnectionOrHopByHopAreNotCopied() {
        for (Set<String> hopByHop : List.of(usual, namingMore)) {
            for (String name : List.of("connection", "keep-alive", "te", "transfer-encoding", "upgrade", "host",
                    "content-length", "expect", "cookie")) {
                assertThat(policy.copiesRequestHeader(name, hopByHop)).as(name).isFalse();
            }
            for (String name : List.of("content-type", "accept", "authorization", "anthropic-version", "date")) {
                assertThat(policy.copiesRequestHeader(name, hopByHop)).as(name).isTrue();
            }
        }
        assertThat(policy.copiesRequestHeader("x-hop", namingMore)).isFalse();
        assertThat(policy.copiesRequestHeader("x-hop", usual)).isTrue();
    }

    @Test
    void answerHeadersOfTheAccountGoOnlyToTheClientWhoseKeyServed() {
        Exchange pool = exchange(ExchangeView.KeySource.POOL);
        Exchange client = exchange(ExchangeView.KeySource.CLIENT);
        for (Set<String> hopByHop : List.of(usual, namingMore)) {
            for (Exchange exchange : List.of(pool, client)) {
                for (String name : List.of("connection", "transfer-encoding", "date", "server")) {
                    assertThat(policy.copiesResponseHeader(name, hopByHop, exchange)).as(name).isFalse();
                }
                for (String name : List.of("content-type", "x-request-id", "openai-project")) {
                    assertThat(policy.copiesResponseHeader(name, hopByHop, exchange)).as(name).isTrue();
                }
            }
            assertThat(policy.copiesResponseHeader("openai-organization", hopByHop, pool)).isFalse();
            assertThat(policy.copiesResponseHeader("openai-organization", hopByHop, client)).isTrue();
        }
        assertThat(policy.copiesResponseHeader("x-hop", namingMore, client)).isFalse();
        assertThat(policy.copiesResponseHeader("x-hop", usual, client)).isTrue();
    }

    private static Exchange exchange(ExchangeView.KeySource source) {
        Exchange exchange = Exchange.start(HttpClientContext.create(), false);
        exchange.keySource(source);
        return exchange;
    }
}
