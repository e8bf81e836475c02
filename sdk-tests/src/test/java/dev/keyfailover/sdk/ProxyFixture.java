package dev.keyfailover.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an SDK test stands on: a {@link WireUpstream} and, once the test starts it, the {@link Proxy} in front of
 * it. Both are stopped after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final ProxyFixture fixture = new ProxyFixture();
 * private final WireUpstream upstream = fixture.upstream();
 * ...
 * Proxy proxy = fixture.startProxy("openai", "sk-a,sk-b", Map.of());
 * }</pre>
 *
 * <p>The upstream starts with the fixture, as it would in a field: JUnit makes a test instance, and so a
 * fixture, per test method. A test of fallback routes (behaviour §18) asks for a second upstream, the
 * fallback provider, with {@link #fallbackUpstream()} and starts both routes with
 * {@link #startProxyWithFallback}.
 */
final class ProxyFixture implements AfterEachCallback {

    private final WireUpstream upstream;
    private WireUpstream fallbackUpstream;
    private Proxy proxy;

    ProxyFixture() {
        try {
            upstream = WireUpstream.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WireUpstream upstream() {
        return upstream;
    }

    /** The fallback route's own provider, started on first use. */
    WireUpstream fallbackUpstream() {
        if (fallbackUpstream == null) {
            try {
                fallbackUpstream = WireUpstream.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fallbackUpstream;
    }

    /**
     * Starts the proxy with a route at {@code /<provider>/*} that forwards to the upstream's {@code /<provider>}
     * with the pool {@code keys} (comma-separated) and any further init-params.
     */
    Proxy startProxy(String provider, String keys, Map<String, String> moreParameters) throws Exception {
        Map<String, String> parameters = new HashMap<>(moreParameters);
        parameters.put("baseUrl", upstream.baseUrl() + "/" + provider);
        parameters.put("keys", keys);
        proxy = Proxy.start(provider, parameters);
        return proxy;
    }

    /**
     * Starts the proxy with two routes of {@code provider}'s API in one web app: the route {@code provider} at
     * {@code /<provider>/*} forwarding to the upstream with the pool {@code keys}, which names as its
     * {@code fallback} the route {@code fallbackRoute} at {@code /<fallbackRoute>/*}, forwarding to the
     * {@link #fallbackUpstream()} with the pool {@code fallbackKeys}. Each route takes its own further init-params.
     */
    Proxy startProxyWithFallback(String provider, String keys, Map<String, String> moreParameters,
            String fallbackRoute, String fallbackKeys, Map<String, String> moreFallbackParameters) throws Exception {
        Map<String, String> primary = new LinkedHashMap<>(moreParameters);
        primary.put("provider", provider);
        primary.put("baseUrl", upstream.baseUrl() + "/" + provider);
        primary.put("keys", keys);
        primary.put("fallback", fallbackRoute);
        Map<String, String> fallback = new LinkedHashMap<>(moreFallbackParameters);
        fallback.put("provider", provider);
        fallback.put("baseUrl", fallbackUpstream().baseUrl() + "/" + provider);
        fallback.put("keys", fallbackKeys);
        proxy = Proxy.start(List.of(new Proxy.Route(provider, primary), new Proxy.Route(fallbackRoute, fallback)));
        return proxy;
    }

    /** The proxy started last. */
    Proxy proxy() {
        return proxy;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            upstream.close();
            if (fallbackUpstream != null) {
                fallbackUpstream.close();
            }
        }
    }
}
