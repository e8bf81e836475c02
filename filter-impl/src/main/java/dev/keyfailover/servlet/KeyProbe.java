package dev.keyfailover.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.keyfailover.pool.Key;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;

/**
 * The admin API's {@code test} of one key (behaviour.md §14): one {@code GET} of the provider's model
 * list with that key, now, outside the failover (nothing is marked, nothing retried); the answer's
 * status is what the administrator gets. The key goes on the request through the provider, as on
 * every attempt ({@link Key#putOn}).
 */
final class KeyProbe {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    private KeyProbe() {
    }

    /** The path probed when the request names none: the model list. */
    static String defaultPath(ProxyRoute route) {
        return route.provider().name().startsWith("gemini") ? "/v1beta/models" : "/v1/models";
    }

    /**
     * @param serverBase this server's own base ({@code http://host:port}), for a same-server base URL
     * @return the upstream status
     */
    static int probe(ProxyRoute route, Key key, String path, String serverBase) throws IOException, InterruptedException {
        String base = route.baseUrl().startsWith("/") ? serverBase + route.baseUrl() : route.baseUrl();
        URI uri = URI.create(base.replaceAll("/+$", "") + path);
        BasicClassicHttpRequest keyed = new BasicClassicHttpRequest("GET", uri);
        key.putOn(keyed, route.provider());
        URI target;
        try {
            target = keyed.getUri();
        } catch (java.net.URISyntaxException e) {
            target = uri;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(TIMEOUT).GET();
        for (Header header : keyed.getHeaders()) {
            request.header(header.getName(), header.getValue());
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
