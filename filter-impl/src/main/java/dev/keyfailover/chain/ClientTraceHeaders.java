package dev.keyfailover.chain;

import java.util.Arrays;
import java.util.Iterator;

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

    /**
     * Notes the headers of these names that {@code request} carries, as the client sent them: after
     * {@link #carriesAny}, one pass over its headers.
     */
    static void note(ClassicHttpRequest request, HttpContext context, String[] names) {
        if (!carriesAny(request, names)) {
            return;
        }
        Header[] found = new Header[names.length];
        int count = 0;
        for (Iterator<Header> all = request.headerIterator(); all.hasNext(); ) {
            Header header = all.next();
            if (isOneOf(header.getName(), names)) {
                if (count == found.length) {
                    found = Arrays.copyOf(found, 2 * count);
                }
                found[count++] = header;
            }
        }
        context.setAttribute(ATTRIBUTE, new ClientTraceHeaders(byName(found, count, names)));
    }

    /**
     * Whether the request carries a header of these names: one lookup per name, stopping at the first
     * found. HttpCore has no pass over a message's headers that allocates nothing (its iterator is an
     * object, {@code getHeaders()} a copy), and a request without any must cost no allocation.
     */
    private static boolean carriesAny(ClassicHttpRequest request, String[] names) {
        for (String name : names) {
            if (request.containsHeader(name)) {
                return true;
            }
        }
        return false;
    }

    /** Grouped in the order of {@code names}, each name's lines in the order sent: what goes upstream. */
    private static Header[] byName(Header[] found, int count, String[] names) {
        Header[] ordered = new Header[count];
        int i = 0;
        for (String name : names) {
            for (int j = 0; j < count; j++) {
                if (found[j].getName().equalsIgnoreCase(name)) {
                    ordered[i++] = found[j];
                }
            }
        }
        return ordered;
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

    /**
     * Whether the request's lines of these names are the client's, one pass over its headers: each a
     * line whose name the client sent once, with the same value, none twice, and none of the
     * client's missing. Several lines of one name (rare) are put back in any case rather than compared.
     */
    private static boolean carriesExactly(ClassicHttpRequest request, Header[] client, String[] names) {
        if (client.length == 0) {
            return !carriesAny(request, names);
        }
        if (client.length > Long.SIZE) {
            // More lines than the bit set of matched ones holds (never seen): put back, as several of one name are.
            return false;
        }
        int expected = 0;
        for (Header header : client) {
            if (isOneOf(header.getName(), names)) {
                expected++;
            }
        }
        long matched = 0;
        for (Iterator<Header> all = request.headerIterator(); all.hasNext(); ) {
            Header header = all.next();
            if (!isOneOf(header.getName(), names)) {
                continue;
            }
            int at = onlyLineNamed(client, header.getName());
            if (at < 0 || (matched & (1L << at)) != 0 || !client[at].getValue().equals(header.getValue())) {
                return false;
            }
            matched |= 1L << at;
        }
        return Long.bitCount(matched) == expected;
    }

    /** The index of the client's one line of this name; -1 when it sent none, or several. */
    private static int onlyLineNamed(Header[] client, String name) {
        int at = -1;
        for (int i = 0; i < client.length; i++) {
            if (client[i].getName().equalsIgnoreCase(name)) {
                if (at >= 0) {
                    return -1;
                }
                at = i;
            }
        }
        return at;
    }

    /** Whether {@code name} is one of {@code names} (lower case), ignoring case. */
    private static boolean isOneOf(String name, String[] names) {
        for (String one : names) {
            if (one.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
