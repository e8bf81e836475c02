package dev.keyfailover.servlet;

import java.io.IOException;

/**
 * Upstream failed after the client's response had started: the only honest move left is to
 * abort the client's connection, so that a cut answer never looks complete (behaviour.md §8).
 * Thrown out of the servlet so that the container aborts instead of ending the response cleanly.
 */
final class UpstreamBrokeException extends IOException {

    private static final long serialVersionUID = 1L;

    UpstreamBrokeException(String providerName, IOException cause) {
        super(providerName + ": upstream failed mid-response, client response aborted: " + cause, cause);
    }
}
