package dev.keyfailover.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
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
 * Proxy proxy = fixture.startProxy("openai", "sk-a,sk-b", Map.of("byok", "deny"));
 * }</pre>
 *
 * <p>The upstream starts with the fixture, as it would in a field: JUnit makes a test instance, and so a
 * fixture, per test method.
 */
final class ProxyFixture implements AfterEachCallback {

    private final WireUpstream upstream;
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
        }
    }
}
