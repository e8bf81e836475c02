package dev.keyfailover.chain;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.pool.KeyId;
import dev.keyfailover.provider.OpenAiProviderFactory;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
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
 * The tracing handlers alone (behaviour.md §17, issue 21), without I/O: a pool request through
 * {@link TracingExec} and one attempt through {@link AttemptSpanExec} to a canned 200, reported and ended as
 * {@link KeyFailoverExec} and {@code Forwarding} do, the client's trace headers noted as {@link ProviderClient}
 * notes them (the client sent none: the common case). {@code off}: the same calls with neither handler (the
 * chain as with {@link Tracing#OFF}); {@code noop}: the API with no SDK; {@code sdk}: the SDK recording, batch-
 * exported to nothing. Precise where {@link TracingCostBenchmark}'s whole requests over sockets are noisy. Run:
 * {@code benchmarks/run-jmh.sh TracingHandlers -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TracingHandlersBenchmark {

    private static final KeyId KEY = new KeyId(0, "sk-b…0001", "0123456789abcdef");
    private static final byte[] CHAT = "{\"model\":\"gpt-4o\",\"messages\":[]}".getBytes();
    private static final AttemptReport SERVED = AttemptReport.answered(KEY, 200, KeyVerdict.ACCEPT, false, false, 0,
            false);

    @Param({"off", "noop", "sdk"})
    public String config;

    private OpenTelemetrySdk sdk;
    private Tracing tracing;
    private TracingExec requestSpans;
    private AttemptSpanExec attemptSpans;
    private ClassicHttpRequest request;
    private HttpRoute route;
    /** Never called by the tracing handlers; the scope only requires one. */
    private final ExecRuntime runtime = (ExecRuntime) Proxy.newProxyInstance(ExecRuntime.class.getClassLoader(),
            new Class<?>[] {ExecRuntime.class}, (proxy, method, args) -> null);
    private final ExecChain upstream = (request, scope) -> new BasicClassicHttpResponse(200);

    @Setup(Level.Trial)
    public void start() {
        Provider provider = new OpenAiProviderFactory().create(new ProviderSettings("openai",
                java.net.URI.create("http://127.0.0.1:9/v1"), Map.of()));
        OpenTelemetry openTelemetry = OpenTelemetry.noop();
        if (config.equals("sdk")) {
            sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(BatchSpanProcessor.builder(new DroppingSpanExporter()).build()).build()).build();
            openTelemetry = sdk;
        }
        tracing = Tracing.of(openTelemetry, "openai", false);
        requestSpans = new TracingExec(provider, tracing);
        attemptSpans = new AttemptSpanExec(provider, tracing);
        request = ClassicRequestBuilder.post("http://127.0.0.1:9/v1/chat/completions")
                .setEntity(new ByteArrayEntity(CHAT, ContentType.APPLICATION_JSON)).build();
        route = new HttpRoute(new HttpHost("127.0.0.1", 9));
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (sdk != null) {
            sdk.close();
        }
    }

    @Benchmark
    public ClassicHttpResponse request() throws IOException, HttpException {
        HttpClientContext context = HttpClientContext.create();
        Exchange exchange = Exchange.start(context, false);
        exchange.keySource(ExchangeView.KeySource.POOL);
        ExecChain.Scope scope = new ExecChain.Scope("ex-1", route, request, runtime, context);
        ExecChain attempts = (sent, inner) -> {
            // KeyFailoverExec's part: the attempt, then its report.
            exchange.nextAttempt();
            ClassicHttpResponse answer = config.equals("off") ? upstream.proceed(sent, inner)
                    : attemptSpans.execute(sent, inner, upstream);
            RequestSpans.reported(inner.clientContext, SERVED);
            exchange.servedBy(KEY);
            return answer;
        };
        if (!config.equals("off")) {
            // ProviderClient.executeOpen's part: the client's trace headers noted (none here).
            ClientTraceHeaders.note(request, context, tracing.traceHeaders());
        }
        ClassicHttpResponse answer = config.equals("off") ? attempts.proceed(request, scope)
                : requestSpans.execute(request, scope, attempts);
        RequestSpans.answerDone(context, new Usage(19, 10, 0));
        return answer;
    }
}
