package dev.keyfailover.chain;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * HttpClient's connection operator, whose connect (TLS handshake included) ends at the request's
 * budget's deadline when that comes before the route's {@code connectTimeout} (behaviour.md §18,
 * The request's budget): the timeout is reckoned as the connect starts ({@link AttemptDeadline#connectTimeout}),
 * however long the wait for a pooled connection took. The operator is the one place that sees both
 * the connect's timeout and the request's context ({@code PoolingHttpClientConnectionManager.connect}
 * hands it both); a request without a budget goes through as it came. Connects are rare (connections
 * are pooled), so the context lookup costs nothing on the hot path.
 */
final class BudgetConnects implements HttpClientConnectionOperator {

    private final HttpClientConnectionOperator operator;

    private BudgetConnects(HttpClientConnectionOperator operator) {
        this.operator = operator;
    }

    /** A connection manager builder whose operator is HttpClient's own, wrapped in this one. */
    static PoolingHttpClientConnectionManagerBuilder managerBuilder() {
        return new PoolingHttpClientConnectionManagerBuilder() {
            @Override
            protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns,
                                                                            TlsSocketStrategy tls) {
                return new BudgetConnects(super.createConnectionOperator(ports, dns, tls));
            }
        };
    }

    private static Timeout timeout(Timeout route, HttpContext context) {
        AttemptDeadline attempt = AttemptDeadline.in(context);
        return attempt == null ? route : attempt.connectTimeout(route);
    }

    @Override
    public void connect(ManagedHttpClientConnection conn, HttpHost host, NamedEndpoint endpointName, Path unixSocket,
                        InetSocketAddress localAddress, Timeout connectTimeout, SocketConfig socketConfig,
                        Object attachment, HttpContext context) throws IOException {
        operator.connect(conn, host, endpointName, unixSocket, localAddress, timeout(connectTimeout, context),
                socketConfig, attachment, context);
    }

    @Override
    public void connect(ManagedHttpClientConnection conn, HttpHost host, NamedEndpoint endpointName,
                        InetSocketAddress localAddress, Timeout connectTimeout, SocketConfig socketConfig,
                        Object attachment, HttpContext context) throws IOException {
        operator.connect(conn, host, endpointName, localAddress, timeout(connectTimeout, context), socketConfig,
                attachment, context);
    }

    @Override
    public void connect(ManagedHttpClientConnection conn, HttpHost host, InetSocketAddress localAddress,
                        TimeValue connectTimeout, SocketConfig socketConfig, HttpContext context) throws IOException {
        operator.connect(conn, host, localAddress, connectTimeout, socketConfig, context);
    }

    @Override
    public void upgrade(ManagedHttpClientConnection conn, HttpHost host, HttpContext context) throws IOException {
        operator.upgrade(conn, host, context);
    }

    @Override
    public void upgrade(ManagedHttpClientConnection conn, HttpHost host, NamedEndpoint endpointName, Object attachment,
                        HttpContext context) throws IOException {
        operator.upgrade(conn, host, endpointName, attachment, context);
    }
}
