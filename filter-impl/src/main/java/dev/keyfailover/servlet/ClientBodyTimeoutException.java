package dev.keyfailover.servlet;

import java.io.IOException;

/**
 * The client did not send its whole body within {@code clientIdleTimeout} of starting it (a
 * slowloris upload, or one that stopped): answered 408 if anything can still be written.
 */
final class ClientBodyTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    ClientBodyTimeoutException(IOException cause) {
        super("client did not send its body within clientIdleTimeout", cause);
    }
}
