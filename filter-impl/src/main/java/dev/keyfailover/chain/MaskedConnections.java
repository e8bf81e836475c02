package dev.keyfailover.chain;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLSocket;

import dev.keyfailover.settings.ClientSettings;
import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream connections whose DEBUG logs hold no key. HttpClient's own connections log every
 * request header in clear at DEBUG ({@code org.apache.hc.client5.http.headers}) and every byte
 * ({@code org.apache.hc.client5.http.wire}), pool keys included. These log the headers with
 * credentials masked, under the same logger name, and never the wire. Their buffers have the
 * route's size (HttpCore's default is 32 KiB each, three per connection). They keep the three
 * timeouts of an answer ({@link AnswerTimeouts}).
 */
final class MaskedConnections implements HttpConnectionFactory<ManagedHttpClientConnection> {

    private static final Logger HEADER_LOG = LoggerFactory.getLogger("org.apache.hc.client5.http.headers");
    private static final AtomicLong COUNTER = new AtomicLong();

    private final CredentialMasker masker;
    private final Http1Config http1;
    private final AnswerTimeouts timeouts;

    MaskedConnections(CredentialMasker masker, ClientSettings settings) {
        this.masker = masker;
        this.http1 = Http1Config.custom().setBufferSize(settings.bufferSize()).build();
        this.timeouts = new AnswerTimeouts(settings);
    }

    @Override
    public ManagedHttpClientConnection createConnection(Socket socket) throws IOException {
        Connection connection = new Connection("http-outgoing-" + COUNTER.getAndIncrement(), masker, http1,
                timeouts);
        if (socket != null) {
            connection.bind(socket);
        }
        return connection;
    }

    private static final class Connection extends DefaultManagedHttpClientConnection {
        private final String id;
        private final CredentialMasker masker;
        private final AnswerTimeouts timeouts;

        Connection(String id, CredentialMasker masker, Http1Config http1, AnswerTimeouts timeouts) {
            // null: HttpCore's defaults for charsets, length strategies, writer and parser
            super(id, null, null, http1, null, null, null, null);
            this.id = id;
            this.masker = masker;
            this.timeouts = timeouts;
        }

        @Override
        public ClassicHttpResponse receiveResponseHeader() throws HttpException, IOException {
            ClassicHttpResponse response;
            try {
                response = super.receiveResponseHeader();
            } catch (SocketTimeoutException e) {
                throw timeouts.headTimedOut(getSocketTimeout(), e);
            }
            if (response.getCode() >= HttpStatus.SC_SUCCESS) {
                timeouts.headReceived(this);
            }
            return response;
        }

        @Override
        public void receiveResponseEntity(ClassicHttpResponse response) throws HttpException, IOException {
            super.receiveResponseEntity(response);
            timeouts.bodyReceived(response, this);
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
