package dev.keyfailover.sdk;

import static dev.keyfailover.sdk.WireUpstream.anthropicError;
import static dev.keyfailover.sdk.WireUpstream.message;
import static dev.keyfailover.sdk.WireUpstream.messageStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official Anthropic Java SDK with its base URL at the proxy ({@code http://host/anthropic}),
 * configured with a placeholder key without the shape of an Anthropic key, which the route's default settings
 * ({@code byok=auto}, behaviour §13) strip, so that the proxy's pool serves it.
 */
class AnthropicSdkIT {

    private static final String GOOD = "sk-ant-sdkit-good-0000000001";
    private static final String LIMITED = "sk-ant-sdkit-limited-00000002";
    private static final String LIMITED_TOO = "sk-ant-sdkit-limited-00000003";
    private static final String REVOKED = "sk-ant-sdkit-revoked-00000004";
    private static final String NO_CREDIT = "sk-ant-sdkit-nocredit-0000005";
    private static final String SDK_PLACEHOLDER_KEY = "placeholder-the-proxy-replaces-it";

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private final WireUpstream upstream = fixture.upstream();

    private AnthropicClient poolClient(String keys, int maxRetries) throws Exception {
        Proxy proxy = fixture.startProxy("anthropic", keys, Map.of());
        AnthropicOkHttpClient.Builder builder = AnthropicOkHttpClient.builder().baseUrl(proxy.url("/anthropic"))
                .apiKey(SDK_PLACEHOLDER_KEY);
        if (maxRetries >= 0) {
            builder.maxRetries(maxRetries);
        }
        return builder.build();
    }

    private static MessageCreateParams question() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(100L).addUserMessage("hi").build();
    }

    private static String text(Message message) {
        return message.content().get(0).text().orElseThrow().text();
    }

    @Test
    void aMessageComesBackParsedAfterTheProxyFailedOverToTheGoodKey() throws Exception {
        upstream.on(LIMITED, anthropicError(429, "rate_limit_error", "slow down").withHeader("Retry-After", "30"))
                .on(GOOD, message("hello from upstream"));
        AnthropicClient client = poolClient(LIMITED + "," + GOOD, 0);

        Message message = client.messages().create(question());

        assertThat(text(message)).isEqualTo("hello from upstream");
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, GOOD);
        assertThat(upstream.requests()).allSatisfy(request ->
                assertThat(request.headers().values()).noneMatch(value -> value.contains(SDK_PLACEHOLDER_KEY)));
    }

    @Test
    void aStreamedMessageIsReadEventByEventToTheEnd() throws Exception {
        upstream.on(GOOD, messageStream("Hello", ", ", "world"));
        AnthropicClient client = poolClient(GOOD, 0);

        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question())) {
            for (RawMessageStreamEvent event : (Iterable<RawMessageStreamEvent>) stream.stream()::iterator) {
                types.add(typeOf(event));
                event.contentBlockDelta().flatMap(delta -> delta.delta().text())
                        .ifPresent(delta -> text.append(delta.text()));
            }
        }

        assertThat(text).hasToString("Hello, world");
        assertThat(types).containsExactly("message_start", "content_block_start", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    }

    @Test
    void whenEveryKeyIsRateLimitedTheSdkRaisesItsRateLimitExceptionWithOurRetryAfter() throws Exception {
        upstream.on(LIMITED, anthropicError(429, "rate_limit_error", "slow down").withHeader("Retry-After", "17"))
                .on(LIMITED_TOO, anthropicError(429, "rate_limit_error", "slow down").withHeader("Retry-After", "23"));
        AnthropicClient client = poolClient(LIMITED + "," + LIMITED_TOO, 0);

        RateLimitException error = catchThrowableOfType(RateLimitException.class,
                () -> client.messages().create(question()));

        assertThat(error).as("the SDK's own rate-limit exception").isNotNull();
        assertThat(error.statusCode()).isEqualTo(429);
        assertThat(error.headers().values("Retry-After")).containsExactly("17");
        assertThat(error.getMessage()).contains("all configured keys are rate-limited");
        assertThat(error.body().toString()).contains("rate_limit_error");
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, LIMITED_TOO);
    }

    @Test
    void whenEveryKeyFailsAuthenticationTheSdkRaisesItsServerErrorFor502() throws Exception {
        AnthropicClient client = poolClient(REVOKED, 0);

        InternalServerException error = catchThrowableOfType(InternalServerException.class,
                () -> client.messages().create(question()));

        assertThat(error).as("the SDK's own server error").isNotNull();
        assertThat(error.statusCode()).isEqualTo(502);
        assertThat(error.getMessage()).contains("all configured keys failed authentication").doesNotContain(REVOKED);
        assertThat(error.body().toString()).contains("api_error");
    }

    @Test
    void whenTheKeysAreOutOfCreditTheSdkSeesItsOwnBadRequestErrorAndDoesNotRetry() throws Exception {
        upstream.on(NO_CREDIT, anthropicError(400, "invalid_request_error",
                "Your credit balance is too low to access the Anthropic API."));
        AnthropicClient client = poolClient(NO_CREDIT + "," + REVOKED, -1);

        BadRequestException error = catchThrowableOfType(BadRequestException.class,
                () -> client.messages().create(question()));

        assertThat(error).as("the SDK's own 400 exception").isNotNull();
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(error.body().toString()).contains("invalid_request_error");
        assertThat(error.getMessage()).doesNotContain(NO_CREDIT).doesNotContain(REVOKED);
        assertThat(upstream.keysSeen()).containsExactly(NO_CREDIT, REVOKED);
        // With its default retries on, the SDK sent the request once (it does retry a rate-limited 429).
        assertThat(fixture.proxy().requestsReceived()).isEqualTo(1);
    }

    @Test
    void withDefaultSettingsTheSdkWaitsOurRetryAfterBeforeItsOneRetryInsteadOfHammering() throws Exception {
        upstream.on(GOOD, anthropicError(429, "rate_limit_error", "slow down").withHeader("Retry-After", "2"),
                message("served after the cooldown"));
        AnthropicClient client = poolClient(GOOD, -1);

        Message message = client.messages().create(question());

        assertThat(text(message)).isEqualTo("served after the cooldown");
        List<WireUpstream.Recorded> attempts = upstream.requests();
        assertThat(attempts).as("one 429, then one retry").hasSize(2);
        Duration gap = Duration.ofNanos(attempts.get(1).arrivedNanos() - attempts.get(0).arrivedNanos());
        assertThat(gap).as("the SDK waited for our Retry-After: 2").isBetween(Duration.ofMillis(1700), Duration.ofSeconds(10));
        assertThat(attempts.get(1).header("x-stainless-retry-count")).isEqualTo("1");
    }

    @Test
    void aUsersOwnKeyPassesThroughOnceAndUntouched() throws Exception {
        String own = "sk-ant-users-own-key-00000001";
        upstream.on(own, message("served with the user's key"));
        Proxy proxy = fixture.startProxy("anthropic", GOOD, Map.of());
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(proxy.url("/anthropic")).apiKey(own).build();

        Message message = client.messages().create(question());

        assertThat(text(message)).isEqualTo("served with the user's key");
        assertThat(upstream.keysSeen()).as("the user's key, once; no pool key").containsExactly(own);
    }

    private static String typeOf(RawMessageStreamEvent event) {
        if (event.isMessageStart()) {
            return "message_start";
        } else if (event.isContentBlockStart()) {
            return "content_block_start";
        } else if (event.isContentBlockDelta()) {
            return "content_block_delta";
        } else if (event.isContentBlockStop()) {
            return "content_block_stop";
        } else if (event.isMessageDelta()) {
            return "message_delta";
        } else if (event.isMessageStop()) {
            return "message_stop";
        }
        return "other";
    }
}
