package dev.keyfailover.chain;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLSocket;

import dev.keyfailover.settings.ClientSettings;
import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream connections whose DEBUG logs hold no key. HttpClient's own connections log every
 * request header in clear at DEBUG ({@code org.apache.hc.client5.http.headers}) and every byte
 * ({@code org.apache.hc.client5.http.wire}), pool keys included. These log the headers with
 * credentials masked, under the same logger name, and never the wire. Their buffers have the
 * route's size (HttpCore's default is 32 KiB each, three per connection). They keep the three
 * timeouts of an answer ({@link AnswerTimeouts}): their socket reads the answer with no timeout,
 * each read bounded by the connection's watch on the route's {@link UpstreamWatchdog} instead.
 */
final class MaskedConnections implements HttpConnectionFactory<ManagedHttpClientConnection> {

    private static final Logger HEADER_LOG = LoggerFactory.getLogger("org.apache.hc.client5.http.headers");
    private static final AtomicLong COUNTER = new AtomicLong();

    private final CredentialMasker masker;
    private final Http1Config http1;
    private final AnswerTimeouts timeouts;
    private final UpstreamWatchdog watchdog;

    MaskedConnections(CredentialMasker masker, ClientSettings settings, UpstreamWatchdog watchdog) {
        this.masker = masker;
        this.http1 = Http1Config.custom().setBufferSize(settings.bufferSize()).build();
        this.timeouts = new AnswerTimeouts(settings);
        this.watchdog = watchdog;
    }

    @Override
    public ManagedHttpClientConnection createConnection(Socket socket) throws IOException {
        Connection connection = new Connection("http-outgoing-" + COUNTER.getAndIncrement(), masker, http1,
                timeouts, watchdog);
        if (socket != null) {
            connection.bind(socket);
        }
        return connection;
    }

    /**
     * Tells {@code conn}, one of ours, that the exchange about to start on it is bounded by the
     * request's budget ({@code budget}), or that the exchange is over ({@code null}).
     */
    static void underBudget(HttpClientConnection conn, AttemptDeadline budget) {
        if (conn instanceof Connection connection) {
            connection.budget = budget;
        }
    }

    private static final class Connection extends DefaultManagedHttpClientConnection {
        private final String id;
        private final CredentialMasker masker;
        private final AnswerTimeouts timeouts;
        private final UpstreamWatchdog.Watch watch;
        // The response timeout HttpClient sets before each exchange, kept for the watch, not the socket.
        private volatile Timeout headTimeout = Timeout.DISABLED;
        // Whether the socket reads with no timeout for good: from the first answer's head on. HttpClient sets the
        // socket's timeout four times an exchange (lease, exchange, pool's passivate and activate), each a
        // synchronized socket option call that a socket reading under the watch does not need.
        private volatile boolean untimed;
        // The deadline of the request's budget during an exchange of a request that has one (BudgetExchanges): the head
        // and a held-back first byte end at it at the latest (§18, The request's budget). null otherwise.
        private AttemptDeadline budget;
        // Whether upstream answered before the request's body was sent whole (its write broke): never reused.
        private volatile boolean answeredEarly;

        Connection(String id, CredentialMasker masker, Http1Config http1, AnswerTimeouts timeouts,
                   UpstreamWatchdog watchdog) {
            // null: HttpCore's defaults for charsets and writer; its length strategy read in one pass; heads read whole
            super(id, null, null, http1, ProxyContentLength.INSTANCE, ProxyContentLength.INSTANCE, null,
                    WholeHeads.INSTANCE);
            this.id = id;
            this.masker = masker;
            this.timeouts = timeouts;
            this.watch = watchdog.watch(() -> close(CloseMode.IMMEDIATE));
        }

        /**
         * Kept as the head's deadline; the socket keeps it too until the first answer's head is read
         * (a TLS handshake reads under it), then reads with none, and is no longer told.
         */
        @Override
        public void setSocketTimeout(Timeout timeout) {
            headTimeout = timeout == null ? Timeout.DISABLED : timeout;
            if (!untimed) {
                super.setSocketTimeout(timeout);
            }
        }

        /** The pool's step when it hands the connection out: the socket's timeout, which stays 0 once untimed. */
        @Override
        public void activate() {
            if (!untimed) {
                super.activate();
            }
        }

        /** The pool's step when the connection comes back: the same. */
        @Override
        public void passivate() {
            if (!untimed) {
                super.passivate();
            }
        }

        @Override
        public ClassicHttpResponse receiveResponseHeader() throws HttpException, IOException {
            Timeout waited = headTimeout;
            if (!untimed) {
                super.setSocketTimeout(Timeout.ZERO_MILLISECONDS);
                untimed = true;
            }
            long route = waited.isEnabled() ? waited.toMilliseconds() : 0;
            // Reckoned now, as the head's wait starts: it ends at the budget's deadline, however long the lease, the
            // connect and the request's sending took.
            long millis = budget == null ? route : budget.headMillis(route);
            watch.arm(millis);
            try {
                return super.receiveResponseHeader();
            } catch (IOException e) {
                throw AnswerTimeouts.headFailed(watch, millis, e);
            } finally {
                watch.disarm();
            }
        }

        /**
         * A server may answer before it has read the whole body (a 413, a 401) and close: the write
         * then breaks. When that answer came, it is upstream's answer (§3), read next as any other,
         * not a transport failure; the connection is not reused.
         */
        @Override
        public void sendRequestEntity(ClassicHttpRequest request) throws HttpException, IOException {
            try {
                super.sendRequestEntity(request);
            } catch (SocketException e) {
                if (!answerCame()) {
                    throw e;
                }
                answeredEarly = true;
            }
        }

        private boolean answerCame() {
            try {
                return isDataAvailable(Timeout.ONE_MILLISECOND);
            } catch (IOException e) {
                return false;
            }
        }

        /** After an early answer, what is left of the body is not sent: the socket's write side is broken. */
        @Override
        public void flush() throws IOException {
            if (!answeredEarly) {
                super.flush();
            }
        }

        /** Not back to the pool after an early answer: the rest of the body was never sent. */
        @Override
        public boolean isConsistent() {
            return !answeredEarly && super.isConsistent();
        }

        @Override
        public void receiveResponseEntity(ClassicHttpResponse response) throws HttpException, IOException {
            super.receiveResponseEntity(response);
            timeouts.bodyReceived(response, watch, budget);
        }

        @Override
        public void close(CloseMode mode) {
            watch.close();
            super.close(mode);
        }

        @Override
        public void close() throws IOException {
            watch.close();
            super.close();
        }

        @Override
        public void bind(Socket socket) throws IOException {
            bind(new SocketHolder(socket));
            setSocketTimeout(Timeout.ofMilliseconds(socket.getSoTimeout()));
        }

        @Override
        public void bind(SSLSocket sslSocket, Socket socket) throws IOException {
            bind(new SocketHolder(sslSocket, socket));
            setSocketTimeout(Timeout.ofMilliseconds(sslSocket.getSoTimeout()));
        }

        @Override
        protected void onRequestSubmitted(ClassicHttpRequest request) {
            if (request == null || !HEADER_LOG.isDebugEnabled()) {
                return;
            }
            HEADER_LOG.debug("{} >> {} {}", id, request.getMethod(), masker.uri(request.getRequestUri()));
            for (Header header : request.getHeaders()) {
                HEADER_LOG.debug("{} >> {}: {}", id, header.getName(), masker.headerValue(header.getName(),
                        header.getValue()));
            }
        }
    }
}
