package dev.keyfailover.servlet;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.servlet.http.HttpServletRequest;

/** The encoded path after a route prefix, kept as the client sent it (behaviour.md §8). */
final class RawPaths {

    private RawPaths() {
    }

    /**
     * @param decodedPrefix context path plus the route's prefix
     * @param decodedRest the container's decoded rest, used only when the prefix itself was sent
     *     encoded and the raw rest cannot be cut out
     */
    static String after(HttpServletRequest request, String decodedPrefix, String decodedRest) {
        String uri = request.getRequestURI();
        if (uri.startsWith(decodedPrefix)) {
            return uri.substring(decodedPrefix.length());
        }
        if (decodedRest == null) {
            return "";
        }
        try {
            return new URI(null, null, decodedRest, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("path cannot be encoded");
        }
    }
}
