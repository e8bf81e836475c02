package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.keyfailover.testing.UnansweredPort;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §18, the request's budget: a connect to a host of two addresses, both hanging (real sockets), ends at
 * the budget's deadline: the second address is not tried past it. Without a budget both are tried, each with the
 * route's connectTimeout, as HttpClient's own operator does.
 */
class BudgetConnectsTest {

    private static final HttpHost HOST = new HttpHost("http", "upstream.test", 80);
    private final UnansweredPort first = UnansweredPort.connectHangs();
    private final UnansweredPort second = UnansweredPort.connectHangs();
    /** upstream.test: the two hanging ports, in this order. */
    private final DnsResolver dns = new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) {
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) {
            return List.of(first.address(), second.address());
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    };
    private final BudgetConnects operator = new BudgetConnects(DefaultSchemePortResolver.INSTANCE, dns,
            DefaultClientTlsStrategy.createDefault());
    private final ManagedHttpClientConnection connection = ManagedHttpClientConnectionFactory.INSTANCE
            .createConnection(null);
    private final HttpClientContext context = HttpClientContext.create();

    BudgetConnectsTest() throws Exception {
    }

    @AfterEach
    void stop() throws Exception {
        connection.close(CloseMode.IMMEDIATE);
        first.close();
        second.close();
    }

    private void connect(Timeout routeTimeout) throws IOException {
        operator.connect(connection, HOST, null, null, null, routeTimeout, SocketConfig.DEFAULT, null, context);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aHostsNextAddressIsNotTriedPastTheBudgetsDeadline() {
        ClassicHttpRequest request = ClassicRequestBuilder.post("http://upstream.test/v1").build();
        ExecChain.Scope scope = new ExecChain.Scope("ex-1", new HttpRoute(HOST), request, mock(ExecRuntime.class),
                context);
        long start = System.nanoTime();
        AttemptDeadline deadline = AttemptDeadline.of(Optional.of(Clock.systemUTC().instant().plusMillis(1000)),
                Clock.systemUTC(), context);

        assertThatThrownBy(() -> deadline.proceed((sent, attemptScope) -> {
            connect(Timeout.ofSeconds(20));
            return null;
        }, request, scope)).isInstanceOf(ConnectTimeoutException.class).satisfies(failure ->
                assertThat(deadline.cut(failure)).as("the budget's timeout").isEqualTo(RequestBudget.Cut.PROVIDER));
        long took = millisSince(start);

        assertThat(took).as("the budget's 1 s, not 1 s for each of the two addresses").isBetween(1000L, 1700L);
    }

    @Test
    void withoutBudgetEachAddressIsTriedWithTheRoutesConnectTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> connect(Timeout.ofMilliseconds(400))).isInstanceOf(SocketTimeoutException.class);
        long took = millisSince(start);

        assertThat(took).as("two addresses, 400 ms each").isGreaterThanOrEqualTo(800L);
        assertThat(AttemptDeadline.in(context)).isNull();
    }
}
