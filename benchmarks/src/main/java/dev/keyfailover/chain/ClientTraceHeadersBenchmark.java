package dev.keyfailover.chain;

import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client's trace headers (behaviour.md §17) on one request with the headers an OpenAI SDK sends:
 * noted as {@link ProviderClient#executeOpen} notes them, then compared on one attempt as
 * {@link AttemptSpanExec} does. {@code none}: the client sent no trace header (the common case,
 * which allocates nothing); {@code traced}: {@code traceparent} and {@code tracestate}, and the
 * attempt carries them. {@link TracingHandlersBenchmark}'s request has no header at all, so it cannot
 * show what a pass over a request's headers costs. Run: {@code benchmarks/run-jmh.sh ClientTraceHeaders -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClientTraceHeadersBenchmark {

    private static final String[] NAMES = {"traceparent", "tracestate", "baggage"};

    @Param({"none", "traced"})
    public String client;

    private ClassicHttpRequest request;
    private final HttpClientContext context = HttpClientContext.create();

    @Setup(Level.Trial)
    public void start() {
        ClassicRequestBuilder builder = ClassicRequestBuilder.post("http://127.0.0.1:9/v1/chat/completions")
                .addHeader("Accept", "application/json").addHeader("Content-Type", "application/json")
                .addHeader("User-Agent", "OpenAI/Python 1.54.0").addHeader("X-Stainless-Lang", "python")
                .addHeader("X-Stainless-Package-Version", "1.54.0").addHeader("X-Stainless-OS", "Linux")
                .addHeader("X-Stainless-Arch", "x64").addHeader("X-Stainless-Runtime", "CPython")
                .addHeader("X-Stainless-Runtime-Version", "3.12.7").addHeader("X-Stainless-Retry-Count", "0")
                .addHeader("X-Stainless-Read-Timeout", "600").addHeader("Accept-Encoding", "gzip, deflate");
        if (client.equals("traced")) {
            builder.addHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                    .addHeader("tracestate", "rojo=00f067aa0ba902b7");
        }
        request = builder.build();
    }

    @Benchmark
    public ClassicHttpRequest noteAndCompare() {
        context.removeAttribute(ClientTraceHeaders.class.getName());
        ClientTraceHeaders.note(request, context, NAMES);
        return ClientTraceHeaders.asTheClientSent(request, context, NAMES);
    }
}
