package dev.keyfailover.servlet;

import jakarta.servlet.http.HttpServletRequest;

/**
 * This server and context as the proxy reaches itself ({@code scheme://address:port/context}), for
 * base URLs on the same server ({@code /path}) and a fallback route's. Every request to such a
 * route asks for it (the others never do), and the parts rarely change: the string last built is
 * kept and reused while they match (one request's hot path: no string built per request).
 */
final class ServerOrigin {

    private volatile Built last;

    private record Built(String scheme, String address, int port, String contextPath, String origin) {

        boolean matches(String scheme, String address, int port, String contextPath) {
            return this.port == port && this.address.equals(address) && this.scheme.equals(scheme)
                    && this.contextPath.equals(contextPath);
        }
    }

    String of(HttpServletRequest request) {
        String scheme = request.getScheme();
        String address = request.getLocalAddr();
        int port = request.getLocalPort();
        String contextPath = request.getContextPath();
        Built built = last;
        if (built != null && built.matches(scheme, address, port, contextPath)) {
            return built.origin;
        }
        String host = address.contains(":") ? "[" + address + "]" : address;
        built = new Built(scheme, address, port, contextPath, scheme + "://" + host + ":" + port + contextPath);
        last = built;
        return built.origin;
    }
}
