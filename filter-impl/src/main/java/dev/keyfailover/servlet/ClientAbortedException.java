package dev.keyfailover.servlet;

import java.io.IOException;

/** The client went away (while sending its body or reading the answer): nobody is left to answer. */
final class ClientAbortedException extends IOException {

    private static final long serialVersionUID = 1L;

    ClientAbortedException(IOException cause) {
        super("client went away: " + cause.getMessage(), cause);
    }
}
