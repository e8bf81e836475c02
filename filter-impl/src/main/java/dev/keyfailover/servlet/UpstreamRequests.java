package dev.keyfailover.servlet;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import dev.keyfailover.chain.HeaderPolicy;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Builds the upstream request from the client's: method, the route's {@link UpstreamTarget} plus the
 * encoded path rest and query as sent, the headers the route's {@link HeaderPolicy} copies, and the
 * body as a stream (read once, by the chain).
 */
final class UpstreamRequests {

    private final HeaderPolicy policy;

    UpstreamRequests(HeaderPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param origin this server and context as the proxy reaches itself (for a same-server base URL)
     * @param pathAndQuery the checked path rest, then {@code ?} and the query if the client sent one
     * @param uploadDeadline the watch the body's reads run under
     * @throws IllegalArgumentException when the request cannot be forwarded as it is (answered 400)
     */
    UpstreamRequest build(HttpServletRequest request, UpstreamTarget target, Supplier<String> origin,
                          String pathAndQuery, ClientWatchdog.Watch uploadDeadline) throws IOException {
        UpstreamRequest upstream = target.request(request.getMethod(), origin, pathAndQuery);
        copyHeaders(request, upstream);
        if (hasBody(request)) {
            long length = request.getContentLengthLong();
            // The header as sent: some containers respell getContentType() (Jetty lower-cases a known type).
            String type = request.getHeader("Content-Type");
            if (type == null && "OPTIONS".equals(request.getMethod())) {
                // HttpCore refuses to send it (RFC 9110 9.3.7); say so instead of a misleading 502.
                throw new IllegalArgumentException("an OPTIONS request with a body needs a Content-Type");
            }
            ClientBodyStream body = new ClientBodyStream(request.getInputStream(), uploadDeadline);
            upstream.setEntity(new ClientBodyEntity(body, length, type));
        }
        return upstream;
    }

    private void copyHeaders(HttpServletRequest request, UpstreamRequest upstream) {
        Enumeration<String> connection = request.getHeaders("Connection");
        Set<String> hopByHop = policy.hopByHop(connection == null ? Collections.emptyIterator() : connection.asIterator());
        // Walked as the container gives them: no list copied per request.
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (!policy.copiesRequestHeader(name.toLowerCase(Locale.ROOT), hopByHop)) {
                continue;
            }
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                upstream.addHeader(name, values.nextElement());
            }
        }
    }

    /**
     * Whether the container authenticated the client with a header scheme (BASIC, DIGEST or a
     * custom one): its {@code Authorization} is then the client's login to the proxy.
     */
    static boolean containerHeaderLogin(HttpServletRequest request) {
        String authType = request.getAuthType();
        return authType != null && !HttpServletRequest.FORM_AUTH.equals(authType)
                && !HttpServletRequest.CLIENT_CERT_AUTH.equals(authType);
    }

    static boolean hasBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        // HTTP/1.x announces a body by Content-Length or Transfer-Encoding; HTTP/2 and 3 may send
        // one of unknown length with neither.
        return length > 0 || request.getHeader("Transfer-Encoding") != null
                || length < 0 && !request.getProtocol().startsWith("HTTP/1");
    }
}
