package dev.keyfailover.chain;

import java.io.IOException;

/** The client's body exceeds {@link BodyLimits#maxBytes()}; the rest of it was not read. */
final class BodyTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long limit) {
        super("request body exceeds the limit of " + limit + " bytes");
    }
}
