package dev.keyfailover.sdk;

import static dev.keyfailover.sdk.GeminiWire.MODEL;
import static dev.keyfailover.sdk.GeminiWire.apiKeyInvalid;
import static dev.keyfailover.sdk.GeminiWire.generateContent;
import static dev.keyfailover.sdk.GeminiWire.noQuotaForTheModel;
import static dev.keyfailover.sdk.GeminiWire.perMinuteQuotaExceeded;
import static dev.keyfailover.sdk.GeminiWire.streamGenerateContent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.types.FinishReason;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Google's Gen AI Java SDK ({@code com.google.genai:google-genai}) with its base URL at the proxy's {@code gemini}
 * route ({@code http://host/gemini}; it calls {@code /v1beta/models/{model}:{method}} after it, the API version
 * pinned since 2.3.0 sends {@code /v1/} by default), behaviour §15.
 * The SDK always sends a key of its own in {@code x-goog-api-key}: a placeholder without the shape of a Google
 * key, which the route's default settings ({@code byok=auto}, behaviour §13) strip, so that the pool serves. The SDK's own retries (5 attempts by default, 429 among the statuses it retries) are off, so
 * that each call is one request to the proxy: one attempt and no status retried, since with one attempt alone
 * 2.3.0 still sleeps its backoff (up to 2 s) after a retried status before it raises the error.
 */
class GeminiSdkIT {

    private static final String GOOD = "AIzaSy-sdkit-gemini-good-0000000001";
    private static final String LIMITED = "AIzaSy-sdkit-gemini-limited-00000002";
    private static final String LIMITED_TOO = "AIzaSy-sdkit-gemini-limited-00000003";
    private static final String INVALID = "AIzaSy-sdkit-gemini-invalid-00000004";
    private static final String SDK_PLACEHOLDER_KEY = "placeholder-the-proxy-replaces-it";
    private static final String OTHER_MODEL = "gemini-2.5-pro";
    private static final String GENERATE_PATH = "/gemini/v1beta/models/" + MODEL + ":generateContent";

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private final WireUpstream upstream = fixture.upstream();
    private Client started;

    private Client poolClient(String keys) throws Exception {
        Proxy proxy = fixture.startProxy("gemini", keys, Map.of());
        started = Client.builder().apiKey(SDK_PLACEHOLDER_KEY)
                .httpOptions(HttpOptions.builder().baseUrl(proxy.url("/gemini")).apiVersion("v1beta")
                        .retryOptions(HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build()).build())
                .build();
        return started;
    }

    @AfterEach
    void closeClient() {
        if (started != null) {
            started.close();
        }
    }

    /** Every request carried a pool key in {@code x-goog-api-key}, none the SDK's own, none a {@code ?key=}. */
    private void assertOnlyPoolKeysReachedUpstream() {
        assertThat(upstream.requests()).isNotEmpty().allSatisfy(request -> {
            assertThat(request.header("x-goog-api-key")).isIn(GOOD, LIMITED, LIMITED_TOO, INVALID);
            assertThat(request.headers().values()).noneMatch(value -> value.contains(SDK_PLACEHOLDER_KEY));
            assertThat(request.query()).as("no key in the URL").satisfiesAnyOf(
                    query -> assertThat(query).isNull(), query -> assertThat(query).doesNotContain("key="));
        });
    }

    @Test
    void aGenerateContentIsServedByTheNextKeyWhenTheFirstHitItsPerMinuteQuota() throws Exception {
        upstream.on(LIMITED, perMinuteQuotaExceeded("38s")).on(GOOD, generateContent("hello from gemini"));
        Client client = poolClient(LIMITED + "," + GOOD);

        GenerateContentResponse response = client.models.generateContent(MODEL, "hi", null);

        assertThat(response.text()).isEqualTo("hello from gemini");
        assertThat(response.usageMetadata().orElseThrow().totalTokenCount()).hasValue(5);
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, GOOD);
        assertThat(upstream.requests()).allSatisfy(request -> {
            assertThat(request.path()).isEqualTo(GENERATE_PATH);
            assertThat(request.body()).contains("\"text\":\"hi\"");
        });
        assertOnlyPoolKeysReachedUpstream();

        // The first key cools for its RetryInfo (38 s) on this model: the next call goes straight to the second.
        assertThat(client.models.generateContent(MODEL, "again", null).text()).isEqualTo("hello from gemini");
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, GOOD, GOOD);
    }

    @Test
    void aGenerateContentIsServedByTheNextKeyWhenTheFirstIsRejectedAsApiKeyInvalid() throws Exception {
        upstream.on(INVALID, apiKeyInvalid()).on(GOOD, generateContent("served by the valid key"));
        Client client = poolClient(INVALID + "," + GOOD);

        GenerateContentResponse response = client.models.generateContent(MODEL, "hi", null);

        assertThat(response.text()).isEqualTo("served by the valid key");
        assertThat(upstream.keysSeen()).containsExactly(INVALID, GOOD);
        assertOnlyPoolKeysReachedUpstream();

        // Gemini's 400 API_KEY_INVALID disabled the key (not a client error passed on): it is not tried again.
        assertThat(client.models.generateContent(MODEL, "again", null).text()).isEqualTo("served by the valid key");
        assertThat(upstream.keysSeen()).containsExactly(INVALID, GOOD, GOOD);
    }

    @Test
    void aStreamedGenerateContentArrivesChunkByChunkFromTheNextKeyAfterAPerMinuteQuota() throws Exception {
        upstream.on(LIMITED, perMinuteQuotaExceeded("38s")).on(GOOD, streamGenerateContent("Hello", ", ", "world"));
        Client client = poolClient(LIMITED + "," + GOOD);

        List<String> chunks = new ArrayList<>();
        FinishReason.Known finishReason = null;
        try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(MODEL, "hi", null)) {
            for (GenerateContentResponse chunk : stream) {
                chunks.add(chunk.text());
                finishReason = chunk.finishReason().knownEnum();
            }
        }

        assertThat(chunks).containsExactly("Hello", ", ", "world");
        assertThat(finishReason).as("the last chunk's").isEqualTo(FinishReason.Known.STOP);
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, GOOD);
        assertThat(upstream.requests()).allSatisfy(request -> {
            assertThat(request.path()).isEqualTo("/gemini/v1beta/models/" + MODEL + ":streamGenerateContent");
            assertThat(request.query()).isEqualTo("alt=sse");
        });
        assertOnlyPoolKeysReachedUpstream();
    }

    @Test
    void whenEveryKeyIsRateLimitedTheSdkRaisesItsOwnClientExceptionWith429InGeminisErrorShape() throws Exception {
        upstream.on(LIMITED, perMinuteQuotaExceeded("38s")).on(LIMITED_TOO, perMinuteQuotaExceeded("17s"));
        Client client = poolClient(LIMITED + "," + LIMITED_TOO);

        ClientException error = catchThrowableOfType(ClientException.class,
                () -> client.models.generateContent(MODEL, "hi", null));

        assertThat(error).as("the SDK's own 4xx exception").isNotNull();
        assertThat(error.code()).isEqualTo(429);
        // The SDK takes message() from the body's error.message: read only from Google's error object.
        assertThat(error.message()).isEqualTo("gemini: all configured keys are rate-limited; retry after 17 s");
        assertThat(error.getMessage()).doesNotContain(LIMITED).doesNotContain(LIMITED_TOO);
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, LIMITED_TOO);

        // The same answer as it crossed the wire (the keys still cool, so it comes from the proxy alone).
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(fixture.proxy().url(GENERATE_PATH)))
                .header("x-goog-api-key", SDK_PLACEHOLDER_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(429);
        // The shorter RetryInfo (17 s), less the moments since the SDK's call.
        assertThat(raw.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isBetween(16, 17));
        assertThat(raw.body()).startsWith("{\"error\":{").contains("\"code\":429", "\"status\":\"RESOURCE_EXHAUSTED\"",
                "\"message\":\"gemini: all configured keys are rate-limited");
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, LIMITED_TOO);
    }

    @Test
    void whenNoKeyHasQuotaForTheModelTheSdkRaisesA429OutOfQuotaAndTheKeysStillServeAnotherModel() throws Exception {
        upstream.on(LIMITED, noQuotaForTheModel(), generateContent("served on the other model"))
                .on(LIMITED_TOO, noQuotaForTheModel());
        Client client = poolClient(LIMITED + "," + LIMITED_TOO);

        ClientException error = catchThrowableOfType(ClientException.class,
                () -> client.models.generateContent(MODEL, "hi", null));
        GenerateContentResponse other = client.models.generateContent(OTHER_MODEL, "hi", null);

        assertThat(error).as("the SDK's own 4xx exception").isNotNull();
        assertThat(error.code()).isEqualTo(429);
        assertThat(error.message()).isEqualTo("gemini: all configured keys have run out of credit or quota");
        // limit: 0 set each key aside for that model only (behaviour §15): the first key serves the other one.
        assertThat(other.text()).isEqualTo("served on the other model");
        assertThat(upstream.keysSeen()).containsExactly(LIMITED, LIMITED_TOO, LIMITED);
        assertThat(upstream.requests()).extracting(WireUpstream.Recorded::path).containsExactly(GENERATE_PATH,
                GENERATE_PATH, "/gemini/v1beta/models/" + OTHER_MODEL + ":generateContent");
        assertOnlyPoolKeysReachedUpstream();
    }
}
