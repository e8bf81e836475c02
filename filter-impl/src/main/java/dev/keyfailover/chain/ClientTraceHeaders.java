package dev.keyfailover.chain;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The trace headers a client sent (behaviour.md §17: {@code traceparent}, {@code tracestate},
 * {@code baggage}, and those of the route's propagators), noted before the request enters the
 * provider's client, so that each attempt goes upstream with exactly these (with
 * {@code propagateTraceContext=true}, its own span's {@code traceparent} then replaces the client's). The OpenTelemetry Java agent's Apache HttpClient instrumentation sets its own
 * on the very request handed to {@code CloseableHttpClient.execute}, before the exec chain runs;
 * {@link AttemptSpanExec} puts the client's back. Nothing is kept for a request without any, and an
 * attempt that already carries exactly the client's passes as it is: the common case allocates
 * nothing.
 */
final class ClientTraceHeaders {

    private static final String ATTRIBUTE = ClientTraceHeaders.class.getName();
    private static final Header[] NONE = new Header[0];

    /** In the order the client sent them, by name. */
    private final Header[] headers;

    private ClientTraceHeaders(Header[] headers) {
        this.headers = headers;
    }

    /** Notes the headers of these names that {@code request} carries, as the client sent them. */
    static void note(ClassicHttpRequest request, HttpContext context, String[] names) {
        int found = 0;
        for (String name : names) {
            found += request.countHeaders(name);
        }
        if (found == 0) {
            return;
        }
        Header[] headers = new Header[found];
        int i = 0;
        for (String name : names) {
            for (Header header : request.getHeaders(name)) {
                headers[i++] = header;
            }
        }
        context.setAttribute(ATTRIBUTE, new ClientTraceHeaders(headers));
    }

    /** Hands what was noted in {@code from} on to a fallback route's exchange. */
    static void carry(HttpContext from, HttpContext to) {
        Object noted = from.getAttribute(ATTRIBUTE);
        if (noted != null) {
            to.setAttribute(ATTRIBUTE, noted);
        }
    }

    /**
     * {@code request} with exactly the client's headers of these names: itself when it carries
     * them already, else a copy with the others removed and the client's added.
     */
    static ClassicHttpRequest asTheClientSent(ClassicHttpRequest request, HttpContext context, String[] names) {
        Object noted = context.getAttribute(ATTRIBUTE);
        Header[] client = noted instanceof ClientTraceHeaders ? ((ClientTraceHeaders) noted).headers : NONE;
        if (carriesExactly(request, client, names)) {
            return request;
        }
        ClassicHttpRequest copy = RequestCopy.of(request);
        for (String name : names) {
            copy.removeHeaders(name);
        }
        for (Header header : client) {
            copy.addHeader(header);
        }
        return copy;
    }

    private static boolean carriesExactly(ClassicHttpRequest request, Header[] client, String[] names) {
        for (String name : names) {
            int count = request.countHeaders(name);
            Header first = null;
            int expected = 0;
            for (Header header : client) {
                if (header.getName().equalsIgnoreCase(name) && expected++ == 0) {
                    first = header;
                }
            }
            if (count != expected || count > 1) {
                // Several lines of one name (rare): put back in any case rather than compare them.
                return false;
            }
            if (count == 1 && !first.getValue().equals(request.getFirstHeader(name).getValue())) {
                return false;
            }
        }
        return true;
    }
}
