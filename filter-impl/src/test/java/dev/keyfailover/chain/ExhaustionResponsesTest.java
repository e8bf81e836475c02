package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.Provider;
import dev.keyfailover.provider.GenericProviderFactory;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the client gets when no key is left, in each provider's format (behaviour.md §6). */
class ExhaustionResponsesTest {

    private static final String K1 = "sk-exh-first-key-000000000001";
    private static final String K2 = "sk-exh-second-key-00000000002";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2);
    private final FakeUpstream upstream = chain.upstream();
    private final MutableClock clock = chain.clock();

    private Answer send() throws Exception {
        try (ClassicHttpResponse response = chain.execute(chain.post("/v1/chat/completions", "{}"))) {
            String retryAfter = response.containsHeader("Retry-After")
                    ? response.getFirstHeader("Retry-After").getValue() : null;
            String body = EntityUtils.toString(response.getEntity());
            assertThat(body).doesNotContain(K1, K2);
            JsonObject json;
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                json = reader.readObject();
            }
            return new Answer(response.getCode(), retryAfter, response.getEntity().getContentType(), json);
        }
    }

    record Answer(int status, String retryAfter, String contentType, JsonObject json) {
    }

    @Test
    void openAiAllRateLimited() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("90")).on(K2, FakeUpstream.rateLimitedMillis(2500));
        chain.client(chain.openAi());

        Answer answer = send();

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.retryAfter()).isEqualTo("3");
        assertThat(answer.contentType()).startsWith("application/json");
        JsonObject error = answer.json().getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("rate_limit_error");
        assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
        assertThat(error.getString("message")).contains("rate-limited").contains("openai");
        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
    }

    @Test
    void anthropicAllRateLimited() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("30")).on(K2, FakeUpstream.rateLimited("12"));
        chain.client(chain.anthropic());

        Answer answer = send();

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.retryAfter()).isEqualTo("12");
        assertThat(answer.json().getString("type")).isEqualTo("error");
        assertThat(answer.json().getJsonObject("error").getString("type")).isEqualTo("rate_limit_error");
        assertThat(answer.json().getJsonObject("error").getString("message")).contains("rate-limited");
    }

    @Test
    void whileEveryKeyCoolsUpstreamIsNotCalledAndRetryAfterCountsDown() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("90")).on(K2, FakeUpstream.rateLimited("60"));
        chain.client(chain.openAi());
        send();
        upstream.clearRequests();

        clock.advance(Duration.ofMillis(10_500));
        Answer answer = send();

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.retryAfter()).isEqualTo("50");
        assertThat(upstream.requests()).isEmpty();

        clock.advance(Duration.ofMillis(49_500));
        upstream.on(K2, FakeUpstream.ok("{\"back\":true}"));
        assertThat(sendStatus()).isEqualTo(200);
        assertThat(upstream.keysSeen()).containsExactly(K2);
    }

    private int sendStatus() throws Exception {
        ClassicHttpRequest request = ClassicRequestBuilder.post(upstream.baseUri().resolve("/v1/x")).build();
        try (ClassicHttpResponse response = chain.execute(request)) {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        }
    }

    @Test
    void openAiAllUnauthorized() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.status(401));
        chain.client(chain.openAi());

        Answer answer = send();

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.retryAfter()).isNull();
        JsonObject error = answer.json().getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("api_error");
        assertThat(error.getString("code")).isEqualTo("server_error");
        assertThat(error.getString("message")).contains("failed authentication");
    }

    @Test
    void whenEveryKeyIsDisabledUpstreamIsNotCalledAgain() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.status(401));
        chain.client(chain.openAi());
        send();
        upstream.clearRequests();

        Answer answer = send();

        assertThat(answer.status()).isEqualTo(502);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void anthropicAllUnauthorized() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.status(401));
        chain.client(chain.anthropic());

        Answer answer = send();

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.retryAfter()).isNull();
        assertThat(answer.json().getString("type")).isEqualTo("error");
        assertThat(answer.json().getJsonObject("error").getString("type")).isEqualTo("api_error");
        assertThat(answer.json().getJsonObject("error").getString("message")).contains("failed authentication");
    }

    @Test
    void mixedDisabledAndCoolingIsRateLimited() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.rateLimited("8"));
        chain.client(chain.openAi());

        Answer answer = send();

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.retryAfter()).isEqualTo("8");
    }

    @Test
    void genericProviderWithAnthropicErrorFormat() throws Exception {
        upstream.keyHeader("api-key");
        upstream.on(K1, FakeUpstream.rateLimited("4")).on(K2, FakeUpstream.rateLimited("4"));
        chain.client(new GenericProviderFactory().create(chain.settings("azure",
                Map.of("authHeader", "api-key", "errorFormat", "anthropic"))));

        Answer answer = send();

        assertThat(upstream.requests()).extracting(r -> r.header("api-key")).containsExactly(K1, K2);
        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.json().getString("type")).isEqualTo("error");
        assertThat(answer.json().getJsonObject("error").getString("message")).contains("azure");
    }

    @Test
    void customProviderThatRendersNothingGetsAGenericJson502() throws Exception {
        upstream.on(K1, FakeUpstream.rateLimited("4")).on(K2, FakeUpstream.rateLimited("4"));
        chain.client(new Provider() {
            @Override
            public String name() {
                return "custom";
            }

            @Override
            public List<String> credentialHeaders() {
                return List.of("Authorization");
            }

            @Override
            public void applyKey(HttpRequest request, String key) {
                request.setHeader("Authorization", "Bearer " + key);
            }

            @Override
            public ClassicHttpResponse exhaustedResponse(KeyPoolExhaustion error) {
                return null;
            }
        });

        Answer answer = send();

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().getJsonObject("error").getString("message")).contains("rate-limited");
    }
}
