package dev.keyfailover.chain;

import dev.keyfailover.settings.ClientSettings;
import dev.keyfailover.settings.FallbackSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.settings.RetrySettings;
import dev.keyfailover.provider.AnthropicProviderFactory;
import dev.keyfailover.provider.OpenAiProviderFactory;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a chain test stands on: a {@link FakeUpstream}, a {@link MutableClock}, and the {@link ProviderClient}
 * built on them with a {@link KeyPool} of the test's keys. Both are closed after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final ChainFixture chain = new ChainFixture(K1, K2);
 * private final FakeUpstream upstream = chain.upstream();
 *
 * @Test
 * void failsOver() throws Exception {
 *     upstream.on(K1, FakeUpstream.status(401)).on(K2, FakeUpstream.ok("{}"));
 *     chain.client(chain.openAi());
 *     assertThat(chain.send(chain.post("/v1/chat/completions", "{}"))).isEqualTo("200 {}");
 * }
 * }</pre>
 *
 * <p>The upstream starts with the fixture, as {@code FakeUpstream.start()} in a field would: JUnit makes a
 * test instance, and so a fixture, per test method.
 */
final class ChainFixture implements AfterEachCallback {

    /** The client settings most chain tests use: defaults, with a response timeout that fails a hung test. */
    static final ClientSettings CLIENT_SETTINGS = ClientSettings.defaults().withResponseTimeout(Duration.ofSeconds(5));

    private final MutableClock clock = MutableClock.atFixedStart();
    private final FakeUpstream upstream = FakeUpstream.start();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private List<String> keys;
    private PoolSettings poolSettings = PoolSettings.defaults();
    private RetrySettings retrySettings = RetrySettings.defaults();
    private DoubleSupplier jitter = () -> 1.0;
    private volatile Runnable onWait = () -> { };
    private FallbackPlan fallback = new FallbackPlan(FallbackSettings.none("openai"), name -> Optional.empty(),
            FallbackPlan.DEFAULT_TRANSIENT_STATUSES);
    private KeyPool pool;
    private ProviderClient client;
    private HeaderPolicy headers;

    ChainFixture(String... keys) {
        this.keys = List.of(keys);
    }

    FakeUpstream upstream() {
        return upstream;
    }

    MutableClock clock() {
        return clock;
    }

    /** The pool of the last client built. */
    KeyPool pool() {
        return pool;
    }

    /** The last client built. */
    ProviderClient client() {
        return client;
    }

    /** Changes the settings the next pools are made with. */
    ChainFixture poolSettings(PoolSettings settings) {
        this.poolSettings = settings;
        return this;
    }

    /** Changes the retries the next clients are made with (default: {@link RetrySettings#defaults()}). */
    ChainFixture retrySettings(RetrySettings settings) {
        this.retrySettings = settings;
        return this;
    }

    /** Changes the jitter of the next clients' retry waits (default 1: each retry waits its whole backoff). */
    ChainFixture jitter(DoubleSupplier value) {
        this.jitter = value;
        return this;
    }

    /**
     * Every wait of the pool's clients so far (retries, {@code maxWaitForKey}), in order: the pool
     * sleeps by advancing the clock, so no test sleeps.
     */
    List<Duration> waits() {
        return waits;
    }

    /** Changes the fallback routes of the next clients (default: none, so no breaker either). */
    ChainFixture fallback(FallbackPlan plan) {
        this.fallback = plan;
        return this;
    }

    /** Runs {@code action} at each wait of the pool, before the clock moves (e.g. to cancel the request meanwhile). */
    ChainFixture onWait(Runnable action) {
        this.onWait = action;
        return this;
    }

    /** Changes the keys the next providers and pool are made with. */
    void keys(String... keys) {
        this.keys = List.of(keys);
    }

    ProviderSettings settings(String name, Map<String, String> properties) {
        return new ProviderSettings(name, upstream.baseUri(), properties);
    }

    Provider openAi() {
        return openAi(Map.of());
    }

    Provider openAi(Map<String, String> properties) {
        return new OpenAiProviderFactory().create(settings("openai", properties));
    }

    /** An OpenAI provider sending to {@code base} instead of the upstream. */
    Provider openAiAt(URI base) {
        return new OpenAiProviderFactory().create(new ProviderSettings("openai", base, Map.of()));
    }

    Provider anthropic() {
        return new AnthropicProviderFactory().create(settings("anthropic", Map.of()));
    }

    /** A client with a pool of the keys, no dump, default failover and {@link #CLIENT_SETTINGS}. */
    ProviderClient client(Provider provider) {
        return client(provider, null, FailoverSettings.defaults(), CLIENT_SETTINGS);
    }

    ProviderClient client(Provider provider, ApiDump dump, FailoverSettings failover, ClientSettings settings) {
        return client(new KeyPool(provider.name(), keys, clock, poolSettings, this::sleep,
                LocalKeyStateStore.INSTANCE), provider, dump, failover,
                settings);
    }

    private void sleep(Duration wait) {
        onWait.run();
        waits.add(wait);
        clock.advance(wait);
    }

    /** A client for a provider that has no keys of its own to fail over with. */
    ProviderClient clientWithoutPool(Provider provider) {
        return client(null, provider, null, FailoverSettings.defaults(), ClientSettings.defaults());
    }

    private ProviderClient client(KeyPool pool, Provider provider, ApiDump dump, FailoverSettings failover,
            ClientSettings settings) {
        this.pool = pool;
        this.headers = failover.headerPolicy(provider);
        RouteChain chain = new RouteChain(failover.bodyLimits(), settings, retrySettings, jitter, fallback,
                ClientAccess.open());
        this.client = ProviderClient.create(provider, pool, dump, headers, chain, clock, FailoverEvents.NONE);
        return client;
    }

    /** A POST of a JSON body to {@code path} on the upstream. */
    ClassicHttpRequest post(String path, String json) {
        return post(path, new StringEntity(json, ContentType.APPLICATION_JSON));
    }

    ClassicHttpRequest post(String path, HttpEntity entity) {
        return ClassicRequestBuilder.post(upstream.baseUri().resolve(path)).setEntity(entity).build();
    }

    /** Sends through the client and opens the answer, which the caller closes. */
    ClassicHttpResponse execute(ClassicHttpRequest request) throws IOException {
        return execute(request, HttpClientContext.create());
    }

    ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientContext context) throws IOException {
        return client.executeOpen(null, request, context);
    }

    /** Sends through the client, reads the whole answer and closes it; returns {@code "<status> <body>"}. */
    String send(ClassicHttpRequest request) throws Exception {
        return send(request, HttpClientContext.create());
    }

    String send(ClassicHttpRequest request, HttpClientContext context) throws Exception {
        try (ClassicHttpResponse response = execute(request, context)) {
            return response.getCode() + " " + EntityUtils.toString(response.getEntity());
        }
    }

    /** A chat request for {@code model}: {@code POST /v1/chat/completions} with a small JSON body naming it. */
    ClassicHttpRequest chat(String model) {
        return post("/v1/chat/completions", "{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    /** Sends through the client, reads the whole answer and closes it. */
    Answer answer(ClassicHttpRequest request) throws Exception {
        HttpClientContext context = HttpClientContext.create();
        try (ClassicHttpResponse response = execute(request, context)) {
            byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            // As the servlet copies an answer: the pool's headers, from the exchange, replace upstream's of that name.
            headers.addPoolHeaders(Exchange.of(context), response::setHeader);
            return new Answer(response.getCode(), body, response.getHeaders());
        }
    }

    /** An answer read whole. */
    record Answer(int status, byte[] bytes, Header[] headers) {
        String body() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The first value of the header, {@code null} when absent. */
        String header(String name) {
            for (Header header : headers) {
                if (header.getName().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            upstream.close();
        }
    }
}
