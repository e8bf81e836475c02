package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §18, the request's budget: the pool, connect and head timeouts each attempt runs under, and that the
 * route's request config is back on the context after the attempt, whichever way it ended.
 */
class AttemptDeadlineTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** The route's connectTimeout, which lives in its connection config, not in the request config. */
    private static final Timeout CONNECT = Timeout.ofSeconds(5);
    private final RequestConfig routes = RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(30))
            .setConnectionRequestTimeout(Timeout.ofSeconds(7)).setMaxRedirects(3).build();
    private final HttpClientContext context = HttpClientContext.create();
    private final ClassicHttpRequest request = ClassicRequestBuilder.post("http://upstream.test/v1").build();
    private final ExecChain.Scope scope = new ExecChain.Scope("ex-1", new HttpRoute(new HttpHost("http",
            "upstream.test", 80)), request, mock(ExecRuntime.class), context);

    AttemptDeadlineTest() {
        context.setRequestConfig(routes);
    }

    /** The request config the chain saw during the attempt. */
    private RequestConfig seenBy(AttemptDeadline deadline) throws Exception {
        AtomicReference<RequestConfig> seen = new AtomicReference<>();
        deadline.proceed((sent, attemptScope) -> {
            seen.set(attemptScope.clientContext.getRequestConfig());
            return null;
        }, request, scope);
        return seen.get();
    }

    @Test
    @SuppressWarnings("deprecation") // the per-request connect timeout, the one HttpClient 5.6 lets a request shorten
    void anAttemptWaitsForThePoolConnectingAndItsHeadWhatIsLeftOfTheBudgetAndTheRoutesConfigComesBack()
            throws Exception {
        AttemptDeadline deadline = AttemptDeadline.of(Optional.of(NOW.plusMillis(1234)), NOW, context, CONNECT);

        RequestConfig seen = seenBy(deadline);

        assertThat(seen.getResponseTimeout()).isEqualTo(Timeout.ofMilliseconds(1234));
        assertThat(seen.getConnectionRequestTimeout()).isEqualTo(Timeout.ofMilliseconds(1234));
        assertThat(seen.getConnectTimeout()).isEqualTo(Timeout.ofMilliseconds(1234));
        assertThat(seen.getMaxRedirects()).as("the rest of the route's config kept").isEqualTo(3);
        assertThat(context.getRequestConfig()).isSameAs(routes);
        assertThat(deadline.ranOut(new ConnectionRequestTimeoutException("lease"))).isTrue();
        assertThat(deadline.ranOut(new ConnectTimeoutException("connect"))).isTrue();
        assertThat(deadline.ranOut(new SocketTimeoutException("TLS handshake"))).isTrue();
        assertThat(deadline.ranOut(new ConnectException("refused"))).as("not a timeout").isFalse();
        assertThat(deadline.ranOut(new UpstreamTimeoutException(UpstreamTimeoutException.Wait.HEAD,
                Duration.ofMillis(1234)))).isTrue();
        assertThat(deadline.ranOut(new UpstreamTimeoutException(UpstreamTimeoutException.Wait.STREAM_IDLE,
                Duration.ofMillis(1234)))).as("silence inside a body: the answer had started").isFalse();
    }

    @Test
    void aRouteWhoseResponseTimeoutIsShorterKeepsItAndItsTimeoutIsNotTheBudgets() throws Exception {
        AttemptDeadline deadline = AttemptDeadline.of(Optional.of(NOW.plusSeconds(31)), NOW, context, CONNECT);

        assertThat(seenBy(deadline)).isSameAs(routes);
        assertThat(deadline.ranOut(new UpstreamTimeoutException(UpstreamTimeoutException.Wait.HEAD,
                Duration.ofSeconds(30)))).isFalse();
    }

    @Test
    @SuppressWarnings("deprecation")
    void onlyTheWaitsTheBudgetEndsBeforeAreShortenedAndOnlyTheirTimeoutsAreTheBudgets() throws Exception {
        // 6 s left: before the head's 30 s and the pool's 7 s, after the 5 s connect.
        AttemptDeadline deadline = AttemptDeadline.of(Optional.of(NOW.plusSeconds(6)), NOW, context, CONNECT);

        RequestConfig seen = seenBy(deadline);

        assertThat(seen.getResponseTimeout()).isEqualTo(Timeout.ofSeconds(6));
        assertThat(seen.getConnectionRequestTimeout()).isEqualTo(Timeout.ofSeconds(6));
        assertThat(seen.getConnectTimeout()).as("the connection config's 5 s holds").isNull();
        assertThat(deadline.ranOut(new ConnectTimeoutException("connect"))).as("the route's own connectTimeout")
                .isFalse();
        assertThat(deadline.ranOut(new ConnectionRequestTimeoutException("lease"))).isTrue();
    }

    @Test
    void aBudgetLongerThanEveryWaitOfTheRouteLeavesItsConfigAlone() throws Exception {
        AttemptDeadline deadline = AttemptDeadline.of(Optional.of(NOW.plusSeconds(40)), NOW, context, CONNECT);

        assertThat(seenBy(deadline)).isSameAs(routes);
        assertThat(deadline.ranOut(new ConnectionRequestTimeoutException("lease"))).isFalse();
        assertThat(deadline.ranOut(new ConnectTimeoutException("connect"))).isFalse();
    }

    @Test
    void aRequestWithoutBudgetRunsUnderTheRoutesConfig() throws Exception {
        AttemptDeadline deadline = AttemptDeadline.of(Optional.empty(), NOW, context, CONNECT);

        assertThat(seenBy(deadline)).isSameAs(routes);
        assertThat(deadline.ranOut(new UpstreamTimeoutException(UpstreamTimeoutException.Wait.HEAD,
                Duration.ofSeconds(30)))).isFalse();
    }

    @Test
    void theRoutesConfigComesBackWhenTheAttemptFails() {
        AttemptDeadline deadline = AttemptDeadline.of(Optional.of(NOW.plusNanos(1)), NOW, context, CONNECT);

        assertThatThrownBy(() -> deadline.proceed((sent, attemptScope) -> {
            assertThat(attemptScope.clientContext.getRequestConfig().getResponseTimeout())
                    .as("rounded up to 1 ms: 0 would be no timeout at all").isEqualTo(Timeout.ofMilliseconds(1));
            throw new IOException("reset");
        }, request, scope)).isInstanceOf(IOException.class).hasMessage("reset");
        assertThat(context.getRequestConfig()).isSameAs(routes);
    }
}
