package dev.keyfailover.servlet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Supplier;

import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * Where a route's requests go: its base URL, parsed once at route start into the scheme,
 * authority and path HttpCore would take from it, so that each request only appends the client's
 * path rest and query ({@link UpstreamPaths}) instead of parsing a {@code URI}: one request's hot
 * path. A base URL on this same server ({@code /path}), and whatever {@link UpstreamPaths} does not
 * take, goes the {@code java.net.URI} way, which also words the refusals (answered 400, without the URI).
 */
final class UpstreamTarget {

    private final String baseUrl;
    /** Null when every request goes the URI way. */
    private final String scheme;
    private final URIAuthority authority;
    private final String basePath;
    private final HttpHost host;

    private UpstreamTarget(String baseUrl, String scheme, URIAuthority authority, String basePath) {
        this.baseUrl = baseUrl;
        this.scheme = scheme;
        this.authority = authority;
        this.basePath = basePath;
        // As HttpClient's RoutingSupport.determineHost made it of each request's scheme and authority.
        this.host = scheme == null ? null : new HttpHost(scheme, authority);
    }

    /** @param baseUrl absolute, or a path on this same server and context */
    static UpstreamTarget of(String baseUrl) {
        URI base = baseUrl.startsWith("/") ? null : parse(baseUrl);
        if (base == null || base.isOpaque() || base.getHost() == null || base.getRawQuery() != null
                || base.getRawFragment() != null) {
            return new UpstreamTarget(baseUrl, null, null, null);
        }
        // HttpCore's own split of the URI, as it made it of each request's whole URI so far.
        BasicHttpRequest split = new BasicHttpRequest("GET", base);
        return new UpstreamTarget(baseUrl, split.getScheme(), split.getAuthority(), base.getRawPath());
    }

    private static URI parse(String baseUrl) {
        try {
            return URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            return null; // every request is then refused as before, by URI.create's message
        }
    }

    /**
     * @param origin this server and context as the proxy reaches itself, for a same-server base URL
     * @param pathAndQuery the client's encoded path after the route prefix (checked by
     *     {@link ForwardPath}), then {@code ?} and its raw query if it sent one
     * @throws IllegalArgumentException when the URL is not one {@code java.net.URI} takes (answered 400)
     */
    UpstreamRequest request(String method, Supplier<String> origin, String pathAndQuery) {
        String path = scheme == null ? null : UpstreamPaths.requestPath(basePath, pathAndQuery);
        if (path != null) {
            return new UpstreamRequest(method, scheme, authority, path, host);
        }
        String base = baseUrl.startsWith("/") ? origin.get() + baseUrl : baseUrl;
        try {
            return new UpstreamRequest(method, new URI(base + pathAndQuery));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(refusal(e, base.length()));
        }
    }

    /**
     * Why the URI was refused, without the URI: its query may carry a credential (Gemini's
     * {@code ?key=}), and the 400's body must not echo it; the index counts from the client's path rest.
     */
    static String refusal(URISyntaxException e, int baseLength) {
        int index = e.getIndex();
        if (index < 0) {
            return e.getReason();
        }
        return index < baseLength ? e.getReason() + " in the route's baseUrl"
                : e.getReason() + " at index " + (index - baseLength) + " of the path after the route's prefix";
    }
}
