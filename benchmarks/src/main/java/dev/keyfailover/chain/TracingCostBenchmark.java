package dev.keyfailover.chain;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.pool.Sleeper;
import dev.keyfailover.provider.OpenAiProviderFactory;
import dev.keyfailover.settings.BodyLimits;
import dev.keyfailover.settings.ClientSettings;
import dev.keyfailover.settings.FallbackSettings;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.settings.RetrySettings;
import dev.keyfailover.settings.UsageSettings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What usage reading (behaviour.md §16) and tracing (§17) cost per request (issue 21), side by side in one
 * run: a scenario-1-like pool request (1 KiB JSON POST, 1 KiB JSON answer with its usage) through the route's
 * whole chain ({@link ProviderClient}) to a local Jetty upstream over a real socket, the answer read as the
 * servlet's copy loop reads it, and the request's spans ended as {@code Forwarding} ends them. Configurations:
 * {@code baseline} (no usage read, no tracing handlers in the chain: {@link Tracing#OFF}), {@code usage} (usage
 * read as the answer passes, no tracing handlers), {@code tracing-noop} (usage read, the tracing handlers on the
 * OpenTelemetry API with no SDK: what every deployment without one runs), {@code tracing-sdk} (usage read, the SDK recording every span, batch-exported to an exporter that
 * drops them). Run: {@code benchmarks/run-jmh.sh TracingCost -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TracingCostBenchmark {

    private static final String KEY = "sk-bench-tracing-key-000000001";
    private static final byte[] ANSWER = answer();
    private static final byte[] CHAT = chat();

    @Param({"baseline", "usage", "tracing-noop", "tracing-sdk"})
    public String config;

    private Server upstream;
    private ProviderClient client;
    private OpenTelemetrySdk sdk;
    private boolean readUsage;
    private URI target;
    private final byte[] buffer = new byte[8192];

    @Setup(Level.Trial)
    public void start() throws Exception {
        upstream = new Server();
        ServerConnector connector = new ServerConnector(upstream);
        connector.setHost("127.0.0.1");
        upstream.addConnector(connector);
        upstream.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Content.Source.consumeAll(request);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(ANSWER), callback);
                return true;
            }
        });
        upstream.start();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/v1");
        target = URI.create(base + "/chat/completions");
        readUsage = !config.equals("baseline");
        OpenTelemetry openTelemetry = OpenTelemetry.noop();
        if (config.equals("tracing-sdk")) {
            sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(BatchSpanProcessor.builder(new DroppingSpanExporter()).build()).build()).build();
            openTelemetry = sdk;
        }
        Provider provider = new OpenAiProviderFactory().create(new ProviderSettings("openai", base, Map.of()));
        KeyPool pool = new KeyPool("openai", List.of(KEY), Clock.systemUTC(), PoolSettings.defaults(), Sleeper.THREAD,
                LocalKeyStateStore.INSTANCE);
        RouteChain chain = new RouteChain(BodyLimits.defaults(), ClientSettings.defaults(), RetrySettings.defaults(),
                () -> 1.0, new FallbackPlan(FallbackSettings.none("openai"), name -> Optional.empty(),
                        FallbackPlan.DEFAULT_TRANSIENT_STATUSES), ClientAccess.open(), UsageSettings.defaults(), Budgets.NONE,
                config.equals("baseline") || config.equals("usage") ? Tracing.OFF
                        : Tracing.of(openTelemetry, "openai", false));
        HeaderPolicy headers = new HeaderPolicy(provider, false, List.of(), provider.accountHeaders(), false);
        client = ProviderClient.create(provider, pool, null, headers, chain, Clock.systemUTC(), FailoverEvents.NONE);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        upstream.stop();
        if (sdk != null) {
            sdk.close();
        }
    }

    /** One request, its answer read whole and closed; returns the output tokens (0 without usage reading). */
    @Benchmark
    public long request() throws IOException {
        ClassicHttpRequest request = ClassicRequestBuilder.post(target)
                .setEntity(new ByteArrayEntity(CHAT, ContentType.APPLICATION_JSON)).build();
        HttpClientContext context = HttpClientContext.create();
        Usage usage = Usage.NONE;
        try (ClassicHttpResponse answer = client.executeOpen(null, request, context)) {
            HttpEntity entity = answer.getEntity();
            UsageReader reader = readUsage ? UsageReader.forAnswer(entity.getContentType(), entity.getContentLength())
                    : null;
            try (InputStream in = entity.getContent()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (reader != null) {
                        reader.read(buffer, 0, n);
                    }
                }
            }
            if (reader != null) {
                usage = reader.usage();
            }
        } finally {
            RequestSpans.answerDone(context, usage);
        }
        return usage.output();
    }

    private static byte[] answer() {
        String head = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"";
        String tail = "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,"
                + "\"total_tokens\":29}}";
        return (head + "a".repeat(1024 - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] chat() {
        String head = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"";
        String tail = "\"}]}";
        return (head + "a".repeat(1024 - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }
}
