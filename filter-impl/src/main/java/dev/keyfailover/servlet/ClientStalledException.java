package dev.keyfailover.servlet;

import java.io.IOException;

/**
 * The client left a write of its answer blocked for {@code clientIdleTimeout} (it stopped
 * reading): the upstream exchange was cancelled, so the answer is cut. Thrown out of the servlet
 * so that the container aborts the client's connection and the cut answer never looks complete.
 */
final class ClientStalledException extends IOException {

    private static final long serialVersionUID = 1L;

    ClientStalledException(String providerName, IOException cause) {
        super(providerName + ": client stopped reading for clientIdleTimeout; upstream exchange cancelled, "
                + "client response aborted", cause);
    }
}
