package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.keyfailover.testing.MutableClock;
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
 * behaviour.md §18, the request's budget: each wait of an attempt (the pool's, the connect's, the head's, a held-back
 * first byte's) ends at the budget's deadline at the latest, reckoned as that wait starts, on a fake clock; which waits
 * the deadline ended; and that the route's request config is back on the context after the attempt, however it ended.
 */
class AttemptDeadlineTest {

    /** The route's connectTimeout, which lives in its connection config, not in the request config. */
    private static final Timeout CONNECT = Timeout.ofSeconds(5);
    private static final long RESPONSE_MILLIS = 30_000;
    private final MutableClock clock = MutableClock.atFixedStart();
    private final RequestConfig routes = RequestConfig.custom().setResponseTimeout(Timeout.ofMilliseconds(RESPONSE_MILLIS))
            .setConnectionRequestTimeout(Timeout.ofSeconds(7)).setMaxRedirects(3).build();
    private final HttpClientContext context = HttpClientContext.create();
    private final ClassicHttpRequest request = ClassicRequestBuilder.post("http://upstream.test/v1").build();
    private final ExecChain.Scope scope = new ExecChain.Scope("ex-1", new HttpRoute(new HttpHost("http",
            "upstream.test", 80)), request, mock(ExecRuntime.class), context);

    AttemptDeadlineTest() {
        context.setRequestConfig(routes);
    }

    private AttemptDeadline budgetOf(Duration budget) {
        return AttemptDeadline.of(Optional.of(clock.instant().plus(budget)), clock, context);
    }

    private static UpstreamTimeoutException timeout(UpstreamTimeoutException.Wait wait) {
        return new UpstreamTimeoutException(wait, Duration.ofSeconds(1));
    }

    /** What the attempt's waits see, in the chain under {@code deadline}. */
    private interface Waits {
        void run(HttpClientContext attemptContext) throws Exception;
    }

    private void during(AttemptDeadline deadline, Waits waits) throws Exception {
        deadline.proceed((sent, attemptScope) -> {
            try {
                waits.run(attemptScope.clientContext);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return null;
        }, request, scope);
    }

    @Test
    void theLeaseWaitsWhatIsLeftAsTheAttemptStartsAndTheRoutesConfigAndContextComeBack() throws Exception {
        AttemptDeadline deadline = budgetOf(Duration.ofMillis(1234));
        AtomicReference<RequestConfig> seen = new AtomicReference<>();

        during(deadline, attempt -> {
            seen.set(attempt.getRequestConfig());
            assertThat(AttemptDeadline.in(attempt)).as("found by the connect and the exchange").isSameAs(deadline);
        });

        assertThat(seen.get().getConnectionRequestTimeout()).isEqualTo(Timeout.ofMilliseconds(1234));
        assertThat(seen.get().getResponseTimeout()).as("the head's is reckoned when it starts, by the connection")
                .isEqualTo(routes.getResponseTimeout());
        assertThat(seen.get().getMaxRedirects()).as("the rest of the route's config kept").isEqualTo(3);
        assertThat(context.getRequestConfig()).isSameAs(routes);
        assertThat(AttemptDeadline.in(context)).isNull();
        assertThat(deadline.cut(new ConnectionRequestTimeoutException("lease"))).isEqualTo(RequestBudget.Cut.POOL);
        assertThat(deadline.cut(new ConnectException("refused"))).as("not a timeout").isNull();
    }

    @Test
    void aConnectAfterASlowLeaseEndsAtTheBudgetsDeadlineNotAWholeBudgetLater() throws Exception {
        AttemptDeadline deadline = budgetOf(Duration.ofMillis(1500));

        during(deadline, attempt -> {
            clock.advance(Duration.ofMillis(1200)); // the lease took most of the budget
            assertThat(AttemptDeadline.in(attempt).connectTimeout(CONNECT)).isEqualTo(Timeout.ofMilliseconds(300));
        });

        assertThat(deadline.cut(new ConnectTimeoutException("connect"))).isEqualTo(RequestBudget.Cut.PROVIDER);
        assertThat(deadline.cut(new SocketTimeoutException("TLS handshake"))).isEqualTo(RequestBudget.Cut.PROVIDER);
    }

    @Test
    void aHeadAfterASlowLeaseAndConnectEndsAtTheBudgetsDeadline() throws Exception {
        AttemptDeadline deadline = budgetOf(Duration.ofMillis(1500));

        during(deadline, attempt -> {
            clock.advance(Duration.ofMillis(700));
            assertThat(AttemptDeadline.in(attempt).connectTimeout(CONNECT)).isEqualTo(Timeout.ofMilliseconds(800));
            clock.advance(Duration.ofMillis(600));
            assertThat(AttemptDeadline.in(attempt).headMillis(RESPONSE_MILLIS)).isEqualTo(200);
        });

        assertThat(deadline.cut(timeout(UpstreamTimeoutException.Wait.HEAD))).isEqualTo(RequestBudget.Cut.PROVIDER);
        assertThat(deadline.cut(timeout(UpstreamTimeoutException.Wait.STREAM_IDLE)))
                .as("silence inside a body: the answer had started").isNull();
    }

    @Test
    void aWaitStartingPastTheDeadlineGetsOneMillisecondSoItEndsAtOnce() {
        AttemptDeadline deadline = budgetOf(Duration.ofMillis(100));
        clock.advance(Duration.ofMillis(250));

        assertThat(deadline.connectTimeout(CONNECT)).as("0 would be no timeout at all")
                .isEqualTo(Timeout.ofMilliseconds(1));
        assertThat(deadline.headMillis(RESPONSE_MILLIS)).isEqualTo(1);
        assertThat(deadline.headMillis(0)).as("a route without a head timeout").isEqualTo(1);
    }

    @Test
    void whichTimeoutEndsFirstIsDecidedAsEachWaitStarts() {
        // 6 s left as the attempt starts: before the pool's 7 s, after the 5 s connect.
        AttemptDeadline deadline = budgetOf(Duration.ofSeconds(6));

        assertThat(deadline.connectTimeout(CONNECT)).as("the connection config's 5 s holds").isSameAs(CONNECT);
        assertThat(deadline.cut(new ConnectTimeoutException("connect"))).as("the route's own connectTimeout")
                .isNull();
        assertThat(deadline.cut(new ConnectionRequestTimeoutException("lease"))).isEqualTo(RequestBudget.Cut.POOL);

        clock.advance(Duration.ofSeconds(2)); // a connect starting later: 4 s left, before the route's 5 s
        assertThat(deadline.connectTimeout(CONNECT)).isEqualTo(Timeout.ofSeconds(4));
        assertThat(deadline.cut(new ConnectTimeoutException("connect"))).isEqualTo(RequestBudget.Cut.PROVIDER);
    }

    @Test
    void aRouteWhoseOwnTimeoutsAreShorterKeepsThemAndTheirTimeoutsAreNotTheBudgets() throws Exception {
        AttemptDeadline deadline = budgetOf(Duration.ofSeconds(31));
        AtomicReference<RequestConfig> seen = new AtomicReference<>();

        during(deadline, attempt -> seen.set(attempt.getRequestConfig()));

        assertThat(seen.get()).isSameAs(routes);
        assertThat(deadline.headMillis(RESPONSE_MILLIS)).isEqualTo(RESPONSE_MILLIS);
        assertThat(deadline.connectTimeout(CONNECT)).isSameAs(CONNECT);
        assertThat(deadline.cut(timeout(UpstreamTimeoutException.Wait.HEAD))).isNull();
        assertThat(deadline.cut(new ConnectionRequestTimeoutException("lease"))).isNull();
        assertThat(deadline.cut(new ConnectTimeoutException("connect"))).isNull();
    }

    @Test
    void aHeldBackFirstByteEndsAtTheDeadlineAndItsExpiryIsTheBudgetsHeadTimeout() {
        AttemptDeadline deadline = budgetOf(Duration.ofSeconds(2));
        assertThat(deadline.headMillis(RESPONSE_MILLIS)).isEqualTo(2000);
        clock.advance(Duration.ofMillis(1500)); // the head came late

        assertThat(deadline.firstByteMillis(500)).as("the route's firstByteTimeout ends first").isEqualTo(500);
        assertThat(deadline.firstByteMillis(5000)).isEqualTo(500);
        assertThat(deadline.cut(timeout(UpstreamTimeoutException.Wait.HEAD))).isEqualTo(RequestBudget.Cut.PROVIDER);
        assertThat(deadline.cut(timeout(UpstreamTimeoutException.Wait.FIRST_BYTE))).isNull();
    }

    @Test
    void aFirstByteTimeoutOfTheRouteIsNotTheBudgets() {
        AttemptDeadline deadline = budgetOf(Duration.ofSeconds(60));
        deadline.headMillis(RESPONSE_MILLIS);

        assertThat(deadline.firstByteMillis(500)).isEqualTo(500);
        assertThat(deadline.cut(timeout(UpstreamTimeoutException.Wait.HEAD))).isNull();
    }

    @Test
    void aRequestWithoutBudgetRunsUnderTheRoutesConfigWithNothingInItsContext() throws Exception {
        AttemptDeadline deadline = AttemptDeadline.of(Optional.empty(), clock, context);
        AtomicReference<RequestConfig> seen = new AtomicReference<>();

        during(deadline, attempt -> {
            seen.set(attempt.getRequestConfig());
            assertThat(AttemptDeadline.in(attempt)).isNull();
        });

        assertThat(seen.get()).isSameAs(routes);
        assertThat(deadline.cut(timeout(UpstreamTimeoutException.Wait.HEAD))).isNull();
        assertThat(deadline.cut(new ConnectionRequestTimeoutException("lease"))).isNull();
    }

    @Test
    void theRoutesConfigAndContextComeBackWhenTheAttemptFails() {
        AttemptDeadline deadline = AttemptDeadline.of(Optional.of(clock.instant().plusNanos(1)), clock, context);

        assertThatThrownBy(() -> during(deadline, attempt -> {
            assertThat(attempt.getRequestConfig().getConnectionRequestTimeout())
                    .as("rounded up to 1 ms: 0 would be no timeout at all").isEqualTo(Timeout.ofMilliseconds(1));
            throw new IOException("reset");
        })).isInstanceOf(IOException.class).hasMessage("reset");
        assertThat(context.getRequestConfig()).isSameAs(routes);
        assertThat(AttemptDeadline.in(context)).isNull();
    }
}
