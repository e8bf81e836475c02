package dev.keyfailover.chain;

import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultConnectionKeepAliveStrategy;
import org.apache.hc.client5.http.impl.NoopUserTokenHandler;
import org.apache.hc.client5.http.impl.classic.MainClientExec;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;

/**
 * HttpClient's transport element ({@code ChainElement.MAIN_TRANSPORT}) as {@code HttpClientBuilder}
 * builds it for our settings, with the request interceptors in one pass ({@link ProxyRequestProtocol})
 * and the reuse decision in one pass ({@link ProxyReuseStrategy}) (issue 22: one request's hot path).
 * {@code HttpClientBuilder} has no way to set its protocol processor, so this relies on
 * {@link MainClientExec}'s constructor, marked {@code @Internal} by HttpClient (public since 4.4,
 * unchanged through 5.6): an HttpClient upgrade must check it, which {@code ProxyTransportTest}
 * does by comparing the request heads on the wire with a stock client's.
 */
final class ProxyTransport {

    private ProxyTransport() {
    }

    /** The transport element of a client on {@code connections}: keep-alive as HttpClient's, no user token (§8). */
    static ExecChainHandler mainExec(PoolingHttpClientConnectionManager connections) {
        return new MainClientExec(connections, new ProxyRequestProtocol(), ProxyReuseStrategy.INSTANCE,
                DefaultConnectionKeepAliveStrategy.INSTANCE, NoopUserTokenHandler.INSTANCE);
    }

    /** The name of the element {@link #mainExec} replaces. */
    static String element() {
        return ChainElement.MAIN_TRANSPORT.name();
    }
}
