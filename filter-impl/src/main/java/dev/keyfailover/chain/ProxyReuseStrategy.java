package dev.keyfailover.chain;

import org.apache.hc.client5.http.impl.DefaultClientConnectionReuseStrategy;
import org.apache.hc.core5.http.ConnectionReuseStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HeaderElements;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.message.MessageSupport;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Whether an upstream connection may carry the next request: HttpClient's decision
 * ({@link DefaultClientConnectionReuseStrategy}), taken in one pass over each message's headers
 * (issue 22: one request's hot path; HttpCore's looks each header up on its own, seven scans, and
 * tokenizes the request's {@code Connection: keep-alive}). Where a {@code Connection} or
 * {@code Proxy-Connection} value is anything but a lone {@code keep-alive} or {@code close}, or the
 * request is a CONNECT, HttpCore decides, so every answer stays HttpCore's.
 */
final class ProxyReuseStrategy implements ConnectionReuseStrategy {

    static final ProxyReuseStrategy INSTANCE = new ProxyReuseStrategy();

    private static final ConnectionReuseStrategy HTTPCORE = DefaultClientConnectionReuseStrategy.INSTANCE;
    private static final int UNKNOWN = -1;
    private static final int NONE = 0;
    private static final int KEEP_ALIVE = 1;
    private static final int CLOSE = 2;

    private ProxyReuseStrategy() {
    }

    @Override
    public boolean keepAlive(HttpRequest request, HttpResponse response, HttpContext context) {
        if (request == null || response == null || Method.CONNECT.isSame(request.getMethod())) {
            return HTTPCORE.keepAlive(request, response, context);
        }
        boolean requestLength = false;
        boolean requestChunked = false;
        int requestConnection = NONE;
        for (Header header : request.getHeaders()) {
            String name = header.getName();
            if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                requestLength = true;
            } else if (name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING)) {
                requestChunked = true;
            } else if (name.equalsIgnoreCase(HttpHeaders.CONNECTION)) {
                requestConnection = tokenOrUnknown(requestConnection, header);
            }
        }
        if (requestLength && requestChunked) {
            return false;
        }
        if (requestConnection == UNKNOWN) {
            return HTTPCORE.keepAlive(request, response, context);
        }
        if ((requestConnection & CLOSE) != 0) {
            return false;
        }
        return responseKeepsAlive(request, response, context);
    }

    private static boolean responseKeepsAlive(HttpRequest request, HttpResponse response, HttpContext context) {
        Header transferEncoding = null;
        Header contentLength = null;
        int contentLengths = 0;
        int connection = NONE;
        boolean connectionSeen = false;
        int proxyConnection = NONE;
        for (Header header : response.getHeaders()) {
            String name = header.getName();
            if (name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING)) {
                transferEncoding = transferEncoding == null ? header : transferEncoding;
            } else if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                contentLength = contentLength == null ? header : contentLength;
                contentLengths++;
            } else if (name.equalsIgnoreCase(HttpHeaders.CONNECTION)) {
                connectionSeen = true;
                connection = tokenOrUnknown(connection, header);
            } else if (name.equalsIgnoreCase("Proxy-Connection")) {
                proxyConnection = tokenOrUnknown(proxyConnection, header);
            }
        }
        if (transferEncoding == null && MessageSupport.canResponseHaveBody(request.getMethod(), response) && contentLengths != 1) {
            return false;
        }
        ProtocolVersion version = response.getVersion() != null ? response.getVersion() : context.getProtocolVersion();
        if (version.lessEquals(HttpVersion.HTTP_1_0) && transferEncoding != null) {
            return false;
        }
        if (response.getCode() == HttpStatus.SC_NO_CONTENT
                && (transferEncoding != null || positiveLength(contentLength))) {
            return false;
        }
        int said = connectionSeen ? connection : proxyConnection;
        if (said == UNKNOWN) {
            return HTTPCORE.keepAlive(request, response, context);
        }
        if (said == NONE) {
            return version.greaterEquals(HttpVersion.HTTP_1_1);
        }
        boolean close = (said & CLOSE) != 0;
        boolean keepAlive = (said & KEEP_ALIVE) != 0;
        return version.greaterEquals(HttpVersion.HTTP_1_1) ? !close : keepAlive;
    }

    /** A value that is a lone keep-alive or close; UNKNOWN for any other, which HttpCore tokenizes. */
    private static int token(Header header) {
        String value = header.getValue();
        if (HeaderElements.KEEP_ALIVE.equalsIgnoreCase(value)) {
            return KEEP_ALIVE;
        }
        return HeaderElements.CLOSE.equalsIgnoreCase(value) ? CLOSE : UNKNOWN;
    }

    /** The tokens seen so far as bits (KEEP_ALIVE | CLOSE) once known, UNKNOWN for good once one is not simple. */
    private static int tokenOrUnknown(int sofar, Header header) {
        int token = token(header);
        if (sofar == UNKNOWN || token == UNKNOWN) {
            return UNKNOWN;
        }
        return sofar | token;
    }

    private static boolean positiveLength(Header contentLength) {
        if (contentLength == null) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.getValue()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
