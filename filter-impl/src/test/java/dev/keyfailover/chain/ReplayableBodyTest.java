package dev.keyfailover.chain;

import dev.keyfailover.settings.BodyLimits;
import dev.keyfailover.settings.ClientSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.keyfailover.api.Provider;
import dev.keyfailover.testing.FakeUpstream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The body read once and replayed byte for byte on every attempt (behaviour.md §4). */
class ReplayableBodyTest {

    private static final String K1 = "sk-body-first-key-00000000001";
    private static final String K2 = "sk-body-second-key-0000000002";
    private static final String K3 = "sk-body-third-key-000000000003";

    @TempDir
    Path spillDir;

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2, K3);
    private final FakeUpstream upstream = chain.upstream();

    private void client(Provider provider, BodyLimits limits) {
        chain.client(provider, null, new FailoverSettings(true, limits),
                ClientSettings.defaults().withResponseTimeout(Duration.ofSeconds(10)));
    }

    private ClassicHttpRequest post(HttpEntity entity) {
        return chain.post("/v1/chat/completions", entity);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        }
    }

    // ---------------------------------------------------------------- through the client

    @Test
    void aKnownLengthBodyIsKeptInAnArrayOfExactlyItsSize() throws IOException {
        byte[] bytes = "{\"q\":\"hello\"}".getBytes(StandardCharsets.UTF_8);

        try (ReplayableBody body = ReplayableBody.of(new InputStreamEntity(new ByteArrayInputStream(bytes), bytes.length,
                ContentType.APPLICATION_JSON), BodyLimits.defaults())) {
            assertThat(body.entity().getContentLength()).isEqualTo(bytes.length);
            assertThat(EntityUtils.toByteArray(body.entity())).isEqualTo(bytes);
            assertThat(body.entity().isRepeatable()).isTrue();
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsNeverForwardedAsIfWhole() {
        byte[] bytes = new byte[5];

        assertThatThrownBy(() -> ReplayableBody.of(new InputStreamEntity(new ByteArrayInputStream(bytes), 10,
                ContentType.APPLICATION_JSON), BodyLimits.defaults()))
                .isInstanceOf(java.io.EOFException.class);
    }

    @Test
    void smallJsonBodyIsReplayedIdentically() throws Exception {
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.rateLimited("5"))
                .on(K3, FakeUpstream.ok("{}"));
        client(chain.openAi(), BodyLimits.defaults().withSpillDirectory(spillDir));
        String json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9llo \u2603\"}]}";

        try (ClassicHttpResponse response = chain.execute(post(new StringEntity(json, ContentType.APPLICATION_JSON)))) {
            assertThat(response.getCode()).isEqualTo(200);
            EntityUtils.consume(response.getEntity());
        }

        byte[] expected = json.getBytes(StandardCharsets.UTF_8);
        assertThat(upstream.requests()).hasSize(3).allSatisfy(r -> {
            assertThat(r.body()).isEqualTo(expected);
            assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(expected.length));
            assertThat(r.header("Content-Type")).isEqualToIgnoringCase("application/json; charset=UTF-8");
        });
        assertThat(files(spillDir)).isEmpty();
    }

    @Test
    void largeBodySpillsToDiskIsReplayedIdenticallyAndTheFileIsDeletedAfterwards() throws Exception {
        byte[] body = randomBytes(5 * 1024 * 1024);
        FakeUpstream.Stall lastKey = FakeUpstream.stall();
        upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.rateLimited("5")).on(K3, lastKey);
        client(chain.openAi(), BodyLimits.defaults().withSpillDirectory(spillDir));

        try (FakeUpstreamCall call = new FakeUpstreamCall(() -> chain.execute(
                post(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM))))) {
            // While the last attempt is in flight, the body lives in exactly one spill file.
            await().atMost(Duration.ofSeconds(10)).until(() -> lastKey.held() == 1);
            assertThat(files(spillDir)).singleElement()
                    .satisfies(file -> assertThat(Files.size(file)).isEqualTo(body.length));
            lastKey.release();

            try (ClassicHttpResponse response = call.result()) {
                assertThat(response.getCode()).isEqualTo(200);
                EntityUtils.consume(response.getEntity());
            }
        }

        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K3);
        assertThat(upstream.requests()).allSatisfy(r -> assertThat(r.body()).isEqualTo(body));
        assertThat(files(spillDir)).isEmpty();
    }

    @Test
    void unknownLengthBodyIsReplayedIdentically() throws Exception {
        byte[] body = randomBytes(300_000);
        upstream.on(K1, FakeUpstream.rateLimited("5")).on(K2, FakeUpstream.ok("{}"));
        client(chain.openAi(), new BodyLimits(64 * 1024, 1024 * 1024, spillDir));

        try (ClassicHttpResponse response = chain.execute(post(
                new InputStreamEntity(new ByteArrayInputStream(body), -1, ContentType.APPLICATION_OCTET_STREAM)))) {
            assertThat(response.getCode()).isEqualTo(200);
            EntityUtils.consume(response.getEntity());
        }

        assertThat(upstream.requests()).hasSize(2).allSatisfy(r -> assertThat(r.body()).isEqualTo(body));
        assertThat(files(spillDir)).isEmpty();
    }

    @Test
    void spillFileIsDeletedWhenTheExchangeFails() throws Exception {
        byte[] body = randomBytes(2 * 1024 * 1024);
        upstream.on(K1, FakeUpstream.stall());
        chain.client(chain.openAi(), null,
                new FailoverSettings(true, BodyLimits.defaults().withSpillDirectory(spillDir)),
                ClientSettings.defaults().withResponseTimeout(Duration.ofMillis(300)));

        assertThatThrownBy(() -> chain.execute(post(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM))))
                .isInstanceOf(IOException.class);

        assertThat(files(spillDir)).isEmpty();
    }

    @Test
    void bodyAboveTheLimitGetsAnOpenAi413AndUpstreamIsNeverCalled() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{}"));
        client(chain.openAi(), BodyLimits.defaults().withSpillDirectory(spillDir).withMaxBytes(1000));

        try (ClassicHttpResponse response = chain.execute(
                post(new ByteArrayEntity(randomBytes(1001), ContentType.APPLICATION_OCTET_STREAM)))) {
            assertThat(response.getCode()).isEqualTo(413);
            JsonObject error = json(response).getJsonObject("error");
            assertThat(error.getString("type")).isEqualTo("invalid_request_error");
            assertThat(error.getString("code")).isEqualTo("request_too_large");
            assertThat(error.getString("message")).contains("1000");
        }
        assertThat(upstream.requests()).isEmpty();
        assertThat(files(spillDir)).isEmpty();
    }

    @Test
    void streamedBodyAboveTheLimitGetsAnAnthropic413AndNoSpillFileIsLeft() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{}"));
        client(chain.anthropic(), new BodyLimits(1024, 100_000, spillDir));

        byte[] body = randomBytes(100_001);
        try (ClassicHttpResponse response = chain.execute(
                post(new InputStreamEntity(new ByteArrayInputStream(body), -1, ContentType.APPLICATION_JSON)))) {
            assertThat(response.getCode()).isEqualTo(413);
            JsonObject json = json(response);
            assertThat(json.getString("type")).isEqualTo("error");
            assertThat(json.getJsonObject("error").getString("type")).isEqualTo("request_too_large");
        }
        assertThat(upstream.requests()).isEmpty();
        assertThat(files(spillDir)).isEmpty();
    }

    @Test
    void bodyOfExactlyTheLimitIsAccepted() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{}"));
        client(chain.openAi(), new BodyLimits(100, 5000, spillDir));
        byte[] body = randomBytes(5000);

        try (ClassicHttpResponse response = chain.execute(post(
                new InputStreamEntity(new ByteArrayInputStream(body), -1, ContentType.APPLICATION_OCTET_STREAM)))) {
            assertThat(response.getCode()).isEqualTo(200);
            EntityUtils.consume(response.getEntity());
        }
        assertThat(upstream.requests()).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo(body));
    }

    private static JsonObject json(ClassicHttpResponse response) throws Exception {
        assertThat(response.getEntity().getContentType()).startsWith("application/json");
        try (var reader = Json.createReader(new StringReader(EntityUtils.toString(response.getEntity())))) {
            return reader.readObject();
        }
    }

    // ---------------------------------------------------------------- ReplayableBody itself

    @Test
    void bodyUpToTheThresholdStaysInMemory() throws Exception {
        byte[] bytes = randomBytes(1024);
        try (ReplayableBody body = ReplayableBody.of(new InputStreamEntity(new ByteArrayInputStream(bytes), -1,
                ContentType.APPLICATION_JSON, "gzip"), new BodyLimits(1024, 4096, spillDir))) {
            HttpEntity entity = body.entity();
            assertThat(entity.isRepeatable()).isTrue();
            assertThat(entity.getContentLength()).isEqualTo(1024);
            assertThat(entity.getContentType()).isEqualTo("application/json; charset=UTF-8");
            assertThat(entity.getContentEncoding()).isEqualTo("gzip");
            assertThat(EntityUtils.toByteArray(entity)).isEqualTo(bytes);
            assertThat(EntityUtils.toByteArray(entity)).isEqualTo(bytes);
            assertThat(files(spillDir)).isEmpty();
        }
    }

    @Test
    void bodyAboveTheThresholdSpillsAndCloseDeletesTheFile() throws Exception {
        byte[] bytes = randomBytes(1025);
        ReplayableBody body = ReplayableBody.of(new ByteArrayEntity(bytes, ContentType.TEXT_PLAIN),
                new BodyLimits(1024, 4096, spillDir));
        assertThat(files(spillDir)).hasSize(1);
        assertThat(body.entity().isRepeatable()).isTrue();
        assertThat(body.entity().getContentLength()).isEqualTo(1025);
        assertThat(body.entity().getContentType()).startsWith("text/plain");
        assertThat(EntityUtils.toByteArray(body.entity())).isEqualTo(bytes);
        assertThat(EntityUtils.toByteArray(body.entity())).isEqualTo(bytes);

        body.close();

        assertThat(files(spillDir)).isEmpty();
    }

    @Test
    void announcedLengthAboveTheLimitIsRefusedWithoutReading() {
        HttpEntity entity = new AbstractHttpEntity(ContentType.APPLICATION_JSON, null) {
            @Override
            public java.io.InputStream getContent() {
                throw new AssertionError("the body must not be read");
            }

            @Override
            public long getContentLength() {
                return 5000;
            }

            @Override
            public boolean isRepeatable() {
                return false;
            }

            @Override
            public boolean isStreaming() {
                return true;
            }

            @Override
            public void close() {
            }
        };

        assertThatThrownBy(() -> ReplayableBody.of(entity, new BodyLimits(100, 4999, spillDir)))
                .isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void noEntityMeansNoBody() throws Exception {
        try (ReplayableBody body = ReplayableBody.of(null, BodyLimits.defaults())) {
            assertThat(body.entity()).isNull();
        }
    }

    /** Runs a blocking call on another thread, so the test can look at the world while it runs. */
    private static final class FakeUpstreamCall implements AutoCloseable {
        private final java.util.concurrent.ExecutorService executor =
                java.util.concurrent.Executors.newSingleThreadExecutor();
        private final java.util.concurrent.Future<ClassicHttpResponse> future;

        FakeUpstreamCall(java.util.concurrent.Callable<ClassicHttpResponse> call) {
            future = executor.submit(call);
        }

        ClassicHttpResponse result() throws Exception {
            return future.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
