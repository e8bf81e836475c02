package dev.keyfailover.servlet;

import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;

/**
 * Builds the upstream request from the client's: method, base URL plus the encoded path rest and
 * query as sent, end-to-end headers, and the body as a stream (read once by the failover handler).
 */
final class UpstreamRequests {

    /** Never copied: the client sets them for the upstream connection and entity. */
    private static final Set<String> CONNECTION_SPECIFIC = Set.of("host", "content-length", "expect", "cookie");

    /** Lower-case. */
    private final Set<String> clientAuthHeaders;

    /** @param clientAuthHeaders headers that authenticate the client to the proxy, always dropped */
    UpstreamRequests(List<String> clientAuthHeaders) {
        Set<String> lower = new HashSet<>();
        for (String header : clientAuthHeaders) {
            lower.add(header.toLowerCase(Locale.ROOT));
        }
        this.clientAuthHeaders = Set.copyOf(lower);
    }

    /**
     * @throws IllegalArgumentException when the request cannot be forwarded as it is (answered 400)
     */
    HttpUriRequestBase build(HttpServletRequest request, String baseUrl, String rawRest) throws IOException {
        String query = request.getQueryString();
        URI uri = URI.create(baseUrl + rawRest + (query == null ? "" : "?" + query));
        HttpUriRequestBase upstream = new HttpUriRequestBase(request.getMethod(), uri);
        copyHeaders(request, upstream);
        if (hasBody(request)) {
            long length = request.getContentLengthLong();
            String type = request.getContentType();
            if (type == null && "OPTIONS".equals(request.getMethod())) {
                // HttpCore refuses to send it (RFC 9110 9.3.7); say so instead of a misleading 502.
                throw new IllegalArgumentException("an OPTIONS request with a body needs a Content-Type");
            }
            upstream.setEntity(new InputStreamEntity(new ClientBodyStream(request.getInputStream()), length,
                    type == null ? null : ContentType.parseLenient(type)));
        }
        return upstream;
    }

    private void copyHeaders(HttpServletRequest request, HttpUriRequestBase upstream) {
        Set<String> hopByHop = HopByHop.namesToDrop(request.getHeaders("Connection"));
        // The container authenticated the client with this header: it is the proxy's login,
        // not a provider key, and must neither reach upstream nor count as BYOK.
        boolean containerLogin = isContainerHeaderLogin(request);
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (hopByHop.contains(lower) || CONNECTION_SPECIFIC.contains(lower) || clientAuthHeaders.contains(lower)
                    || containerLogin && lower.equals("authorization")) {
                continue;
            }
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                upstream.addHeader(name, values.nextElement());
            }
        }
    }

    private static boolean isContainerHeaderLogin(HttpServletRequest request) {
        String authType = request.getAuthType();
        return authType != null && !HttpServletRequest.FORM_AUTH.equals(authType)
                && !HttpServletRequest.CLIENT_CERT_AUTH.equals(authType);
    }

    private static boolean hasBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        // HTTP/1.x announces a body by Content-Length or Transfer-Encoding; HTTP/2 and 3 may send
        // one of unknown length with neither.
        return length > 0 || request.getHeader("Transfer-Encoding") != null
                || length < 0 && !request.getProtocol().startsWith("HTTP/1");
    }
}
