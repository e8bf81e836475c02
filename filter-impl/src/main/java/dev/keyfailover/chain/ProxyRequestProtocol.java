package dev.keyfailover.chain;

import java.io.IOException;

import org.apache.hc.client5.http.RouteInfo;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.protocol.RequestClientConnControl;
import org.apache.hc.client5.http.protocol.RequestDefaultHeaders;
import org.apache.hc.client5.http.protocol.RequestExpectContinue;
import org.apache.hc.client5.http.protocol.RequestUpgrade;
import org.apache.hc.client5.http.protocol.RequestValidateTrace;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HeaderElements;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.protocol.DefaultHttpProcessor;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.apache.hc.core5.http.protocol.RequestTargetHost;
import org.apache.hc.core5.http.protocol.RequestUserAgent;

/**
 * The request interceptors HttpClient runs on every request of our clients (no default headers,
 * no user agent, no cookies: behaviour.md §8), in their order, with one pass over the request's
 * headers (issue 22: one request's hot path; HttpClient's eight interceptors scan the headers seven
 * times). They add {@code Host}, the framing ({@code Content-Length}, or
 * {@code Transfer-Encoding: chunked}), the entity's {@code Content-Type} and
 * {@code Content-Encoding} when the request has none, {@code Connection: keep-alive}, and
 * {@code Expect} when the request's config asks for it. The request that is not the common case
 * (TRACE or CONNECT, framing or {@code Host} or {@code Trailer} or {@code Upgrade} already there,
 * trailers, not HTTP/1.1, no direct route) goes through HttpClient's own interceptors, so what goes
 * on the wire, and every refusal, stays HttpClient's. No response interceptor: HttpClient has
 * none without cookies.
 */
final class ProxyRequestProtocol implements HttpProcessor {

    /** HttpClient's processor as {@code HttpClientBuilder} makes it for our settings. */
    private static final HttpProcessor HTTPCLIENT = new DefaultHttpProcessor(new RequestTargetHost(),
            new RequestValidateTrace(), new RequestDefaultHeaders(null), new RequestContent(),
            new RequestClientConnControl(), new RequestUserAgent(null), new RequestExpectContinue(), new RequestUpgrade());

    private static final int HOST = 1;
    private static final int FRAMING = 2;
    private static final int CONTENT_TYPE = 4;
    private static final int CONTENT_ENCODING = 8;
    private static final int CONNECTION = 16;
    private static final int EXPECT = 32;
    /** Headers only an uncommon request carries: Trailer, Upgrade. */
    private static final int UNCOMMON = 64;

    @Override
    public void process(HttpRequest request, EntityDetails entity, HttpContext context)
            throws HttpException, IOException {
        int present = present(request);
        if (!common(request, entity, context, present)) {
            HTTPCLIENT.process(request, entity, context);
            return;
        }
        request.addHeader(HttpHeaders.HOST, request.getAuthority());
        String method = request.getMethod();
        if (entity == null) {
            if (Method.POST.isSame(method) || Method.PUT.isSame(method) || Method.PATCH.isSame(method)
                    || Method.QUERY.isSame(method)) {
                request.addHeader(HttpHeaders.CONTENT_LENGTH, "0");
            }
        } else {
            if (Method.OPTIONS.isSame(method) && (present & CONTENT_TYPE) == 0) {
                throw new ProtocolException("OPTIONS request must have Content-Type header");
            }
            if (entity.isChunked() || entity.getContentLength() < 0) {
                request.addHeader(HttpHeaders.TRANSFER_ENCODING, HeaderElements.CHUNKED_ENCODING);
            } else {
                request.addHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(entity.getContentLength()));
            }
            if (entity.getContentType() != null && (present & CONTENT_TYPE) == 0) {
                request.addHeader(new BasicHeader(HttpHeaders.CONTENT_TYPE, entity.getContentType()));
            }
            if (entity.getContentEncoding() != null && (present & CONTENT_ENCODING) == 0) {
                request.addHeader(new BasicHeader(HttpHeaders.CONTENT_ENCODING, entity.getContentEncoding()));
            }
        }
        if ((present & CONNECTION) == 0) {
            request.addHeader(HttpHeaders.CONNECTION, HeaderElements.KEEP_ALIVE);
        }
        // RequestUpgrade adds nothing: the request has a Connection header by now.
        if ((present & EXPECT) == 0 && entity != null && entity.getContentLength() != 0
                && HttpClientContext.cast(context).getRequestConfigOrDefault().isExpectContinueEnabled()) {
            request.addHeader(HttpHeaders.EXPECT, HeaderElements.CONTINUE);
        }
    }

    @Override
    public void process(HttpResponse response, EntityDetails entity, HttpContext context) {
        // HttpClient has no response interceptor without cookies.
    }

    /** Whether HttpClient's interceptors would take the common path, the only one written out here. */
    static boolean common(HttpRequest request, EntityDetails entity, HttpContext context, int present) {
        if ((present & (HOST | FRAMING | UNCOMMON)) != 0) {
            return false;
        }
        String method = request.getMethod();
        if (Method.TRACE.isSame(method) || Method.CONNECT.isSame(method) || request.getAuthority() == null
                || request.getAuthority().getUserInfo() != null) {
            return false;
        }
        if (!HttpVersion.HTTP_1_1.equals(context.getProtocolVersion())
                || request.getVersion() != null && !HttpVersion.HTTP_1_1.equals(request.getVersion())) {
            return false;
        }
        if (entity != null && entity.getTrailerNames() != null && !entity.getTrailerNames().isEmpty()) {
            return false;
        }
        RouteInfo route = HttpClientContext.cast(context).getHttpRoute();
        return route != null && (route.getHopCount() == 1 || route.isTunnelled());
    }

    /** Which of the headers the interceptors look for the request has, as bits. */
    static int present(HttpRequest request) {
        int present = 0;
        for (Header header : request.getHeaders()) {
            present |= bit(header.getName());
        }
        return present;
    }

    private static int bit(String name) {
        return switch (name.length()) {
            case 4 -> name.equalsIgnoreCase(HttpHeaders.HOST) ? HOST : 0;
            case 6 -> name.equalsIgnoreCase(HttpHeaders.EXPECT) ? EXPECT : 0;
            case 7 -> name.equalsIgnoreCase(HttpHeaders.TRAILER) || name.equalsIgnoreCase(HttpHeaders.UPGRADE)
                    ? UNCOMMON : 0;
            case 10 -> name.equalsIgnoreCase(HttpHeaders.CONNECTION) ? CONNECTION : 0;
            case 12 -> name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) ? CONTENT_TYPE : 0;
            case 14 -> name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH) ? FRAMING : 0;
            case 16 -> name.equalsIgnoreCase(HttpHeaders.CONTENT_ENCODING) ? CONTENT_ENCODING : 0;
            case 17 -> name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING) ? FRAMING : 0;
            default -> 0;
        };
    }
}
