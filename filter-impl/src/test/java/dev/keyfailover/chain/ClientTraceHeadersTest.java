package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;

import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §17, {@code propagateTraceContext=false}: what the client sent is noted before the
 * provider's client runs, and each attempt goes with exactly that, whatever was set on the request
 * in between (as the Java agent does; the agent itself: {@code TraceHeadersWithJavaAgentIT}).
 */
class ClientTraceHeadersTest {

    private static final String[] NAMES = {"traceparent", "tracestate", "baggage"};
    private static final String CLIENTS = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String AGENTS = "00-0af7651916cd43dd8448eb211c80319c-94d9c0628405b216-03";

    private final HttpClientContext context = HttpClientContext.create();

    private static ClassicHttpRequest request(String... headers) {
        ClassicRequestBuilder builder = ClassicRequestBuilder.post("http://upstream/v1/chat/completions")
                .addHeader("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            builder.addHeader(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    private static String[] traceHeadersOf(ClassicHttpRequest request) {
        return Arrays.stream(request.getHeaders()).filter(header -> Arrays.asList(NAMES)
                .contains(header.getName().toLowerCase(java.util.Locale.ROOT))).map(Header::toString)
                .toArray(String[]::new);
    }

    @Test
    void anAttemptWithTheClientsOwnTraceHeadersPassesAsItIs() {
        ClassicHttpRequest request = request("traceparent", CLIENTS, "tracestate", "rojo=00f067aa0ba902b7");
        ClientTraceHeaders.note(request, context, NAMES);

        assertThat(ClientTraceHeaders.asTheClientSent(request, context, NAMES)).isSameAs(request);
    }

    @Test
    void headersSetAfterTheNoteAreReplacedByTheClientsOnACopy() {
        ClassicHttpRequest request = request("traceparent", CLIENTS, "Baggage", "tenant=acme , user=alice");
        ClientTraceHeaders.note(request, context, NAMES);
        request.setHeader("traceparent", AGENTS);
        request.setHeader("baggage", "tenant=acme,user=alice");
        request.setHeader("tracestate", "agent=1");

        ClassicHttpRequest sent = ClientTraceHeaders.asTheClientSent(request, context, NAMES);

        assertThat(sent).isNotSameAs(request);
        assertThat(traceHeadersOf(sent))
                .containsExactly("traceparent: " + CLIENTS, "Baggage: tenant=acme , user=alice");
        assertThat(sent.getFirstHeader("Content-Type").getValue()).isEqualTo("application/json");
        assertThat(sent.getEntity()).isSameAs(request.getEntity());
        assertThat(request.getFirstHeader("traceparent").getValue()).as("the request itself unchanged")
                .isEqualTo(AGENTS);
    }

    @Test
    void withoutTraceHeadersFromTheClientNothingIsNotedAndWhatWasAddedSinceIsRemoved() {
        ClassicHttpRequest request = request();
        ClientTraceHeaders.note(request, context, NAMES);
        assertThat(context.getAttribute(ClientTraceHeaders.class.getName())).isNull();
        assertThat(ClientTraceHeaders.asTheClientSent(request, context, NAMES)).isSameAs(request);

        request.setHeader("traceparent", AGENTS);
        request.setHeader("baggage", "k=v");

        assertThat(traceHeadersOf(ClientTraceHeaders.asTheClientSent(request, context, NAMES))).isEmpty();
    }

    @Test
    void anAttemptThatLostOneOfTheClientsLinesOrCarriesOneTwiceGetsExactlyTheClientsBack() {
        ClassicHttpRequest request = request("tracestate", "rojo=00f067aa0ba902b7", "traceparent", CLIENTS);
        ClientTraceHeaders.note(request, context, NAMES);

        ClassicHttpRequest twice = request("traceparent", CLIENTS, "tracestate", "rojo=00f067aa0ba902b7",
                "traceparent", CLIENTS);
        ClassicHttpRequest lost = request("traceparent", CLIENTS);
        ClassicHttpRequest respelled = request("TraceState", "rojo=00f067aa0ba902b7", "TRACEPARENT", CLIENTS);

        assertThat(traceHeadersOf(ClientTraceHeaders.asTheClientSent(twice, context, NAMES)))
                .containsExactly("traceparent: " + CLIENTS, "tracestate: rojo=00f067aa0ba902b7");
        assertThat(traceHeadersOf(ClientTraceHeaders.asTheClientSent(lost, context, NAMES)))
                .containsExactly("traceparent: " + CLIENTS, "tracestate: rojo=00f067aa0ba902b7");
        assertThat(ClientTraceHeaders.asTheClientSent(respelled, context, NAMES)).as("names compare ignoring case")
                .isSameAs(respelled);
    }

    @Test
    void severalLinesOfOneNameGoUpstreamAsTheClientSentThem() {
        ClassicHttpRequest request = request("tracestate", "a=1", "tracestate", "b=2", "traceparent", CLIENTS);
        ClientTraceHeaders.note(request, context, NAMES);

        assertThat(traceHeadersOf(ClientTraceHeaders.asTheClientSent(request, context, NAMES)))
                .containsExactly("traceparent: " + CLIENTS, "tracestate: a=1", "tracestate: b=2");
    }

    @Test
    void aFallbackRoutesAttemptGoesWithWhatTheFirstRoutesClientSent() {
        ClassicHttpRequest request = request("traceparent", CLIENTS);
        ClientTraceHeaders.note(request, context, NAMES);
        request.setHeader("traceparent", AGENTS);
        HttpClientContext fallback = HttpClientContext.create();

        ClientTraceHeaders.carry(context, fallback);

        assertThat(traceHeadersOf(ClientTraceHeaders.asTheClientSent(request, fallback, NAMES)))
                .containsExactly("traceparent: " + CLIENTS);
    }

    @Test
    void theNamesAreTheW3COnesAndThoseTheRoutesPropagatorsWrite() {
        TextMapPropagator custom = new TextMapPropagator() {
            @Override
            public Collection<String> fields() {
                return List.of("X-B3-TraceId", "traceparent");
            }

            @Override
            public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
            }

            @Override
            public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
                return context;
            }
        };
        OpenTelemetry withB3 = OpenTelemetrySdk.builder().setPropagators(ContextPropagators.create(custom)).build();

        assertThat(Tracing.of(withB3, "openai", false).traceHeaders())
                .containsExactly("traceparent", "tracestate", "baggage", "x-b3-traceid");
        assertThat(Tracing.of(OpenTelemetry.noop(), "openai", false).traceHeaders())
                .containsExactly("traceparent", "tracestate", "baggage");
    }

    @Test
    void aRequestWithoutTraceHeadersAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ClassicHttpRequest request = request("Authorization", "Bearer sk-x", "Accept", "application/json",
                "User-Agent", "OpenAI/Python 1.54.0", "X-Stainless-Lang", "python");
        long passedAsItWas = 0;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            ClientTraceHeaders.note(request, context, NAMES);
            if (ClientTraceHeaders.asTheClientSent(request, context, NAMES) == request) {
                passedAsItWas++;
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(passedAsItWas).isEqualTo(100_000);
        // Not a byte per request: what is left is the measurement's own (a few hundred bytes at most).
        assertThat(allocated).isLessThan(10_000);
    }
}
