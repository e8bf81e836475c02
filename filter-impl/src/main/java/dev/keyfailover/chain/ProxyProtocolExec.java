package dev.keyfailover.chain;

import java.io.IOException;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.net.URIAuthority;

/**
 * HttpClient's protocol element ({@code ChainElement.PROTOCOL}) cut to what a proxy uses (issue 22).
 * HttpClient's {@code ProtocolExec} prepares HTTP authentication on every request: it parses the
 * request path with {@code URIBuilder} for its auth cache, creates auth exchanges and looks for
 * challenges in every answer, although {@link ProviderClient} registers no auth scheme and
 * disables the auth cache, so it never answers a challenge (a 401 is the failover's to judge,
 * behaviour.md §8). What is left: the request gets its target's scheme and authority, an
 * authority with user info is refused (as HttpClient does), and the response body is wrapped so
 * that reading it to the end releases the connection ({@link ReleasingEntity}). Our routes never
 * go through an HTTP proxy ({@code DefaultRoutePlanner} without one), so there is no absolute
 * request URI to build.
 */
final class ProxyProtocolExec implements ExecChainHandler {

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        if (Method.CONNECT.isSame(request.getMethod())) {
            throw new ProtocolException("Direct execution of CONNECT is not allowed");
        }
        HttpRoute route = scope.route;
        if (route.getProxyHost() != null) {
            throw new IllegalStateException("routes of ProviderClient never use an HTTP proxy: " + route);
        }
        try {
            HttpHost target = route.getTargetHost();
            if (request.getScheme() == null) {
                request.setScheme(target.getSchemeName());
            }
            if (request.getAuthority() == null) {
                request.setAuthority(new URIAuthority(target));
            }
            if (request.getAuthority().getUserInfo() != null) {
                throw new ProtocolException("Request URI authority contains deprecated userinfo component");
            }
            ClassicHttpResponse response = chain.proceed(request, scope);
            ReleasingEntity.enhance(response, scope.execRuntime);
            return response;
        } catch (HttpException | IOException | RuntimeException e) {
            scope.execRuntime.discardEndpoint();
            throw e;
        }
    }
}
