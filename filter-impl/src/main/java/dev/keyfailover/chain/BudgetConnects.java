package dev.keyfailover.chain;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.util.Timeout;

/**
 * HttpClient's connection operator, whose connect (TLS handshake included) ends at the request's
 * budget's deadline when that comes before the route's {@code connectTimeout} (behaviour.md §18,
 * The request's budget): the timeout is reckoned as the connect starts ({@link AttemptDeadline#connectTimeout}),
 * however long the wait for a pooled connection took, and no further address of a host is tried
 * once the deadline passed. The operator is the one place that sees both the connect's timeout and
 * the request's context ({@code PoolingHttpClientConnectionManager.connect} hands it both); a
 * request without a budget connects as with HttpClient's own. Connects are rare (connections are
 * pooled), so the context lookup costs nothing on the hot path.
 */
final class BudgetConnects extends DefaultHttpClientConnectionOperator {

    /** As {@code PoolingHttpClientConnectionManagerBuilder.createConnectionOperator} builds HttpClient's own. */
    BudgetConnects(SchemePortResolver ports, DnsResolver dns, TlsSocketStrategy tls) {
        super(ports, dns, RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tls).build());
    }

    /** A connection manager builder whose connection operator is this one. */
    static PoolingHttpClientConnectionManagerBuilder managerBuilder() {
        return new PoolingHttpClientConnectionManagerBuilder() {
            @Override
            protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns,
                                                                            TlsSocketStrategy tls) {
                return new BudgetConnects(ports, dns, tls);
            }
        };
    }

    /** Every other connect of the operator ends here. */
    @Override
    public void connect(ManagedHttpClientConnection conn, HttpHost host, NamedEndpoint endpointName, Path unixSocket,
                        InetSocketAddress localAddress, Timeout connectTimeout, SocketConfig socketConfig,
                        Object attachment, HttpContext context) throws IOException {
        AttemptDeadline attempt = AttemptDeadline.in(context);
        if (attempt == null) {
            super.connect(conn, host, endpointName, unixSocket, localAddress, connectTimeout, socketConfig, attachment,
                    context);
            return;
        }
        try {
            super.connect(conn, host, endpointName, unixSocket, localAddress, attempt.connectTimeout(connectTimeout),
                    socketConfig, attachment, context);
        } catch (BudgetExpired e) {
            throw new ConnectTimeoutException("connect: the request's budget ran out before the host's next address");
        }
    }

    /** Before each address of the host: none is tried past the deadline (each has the timeout reckoned above). */
    @Override
    protected void onBeforeSocketConnect(HttpContext context, HttpHost host) {
        AttemptDeadline attempt = AttemptDeadline.in(context);
        if (attempt != null && attempt.connectPassed()) {
            // Thrown out of the operator's loop over the addresses: the connect's timeout, the budget's.
            throw new BudgetExpired();
        }
    }

    /**
     * The budget's deadline passed between two addresses of a host: unchecked to pass the hook's
     * signature, caught in {@link #connect} and thrown on as the connect's timeout.
     */
    private static final class BudgetExpired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExpired() {
            super("connect: the request's budget ran out", null, false, false);
        }
    }
}
