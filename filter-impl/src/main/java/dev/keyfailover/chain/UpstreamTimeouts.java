package dev.keyfailover.chain;

import java.io.IOException;
import java.net.SocketTimeoutException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;

/** Whether a transport failure is a timeout, by its type, never its message (behaviour.md §18). */
final class UpstreamTimeouts {

    private UpstreamTimeouts() {
    }

    static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException
                || e instanceof ConnectionRequestTimeoutException;
    }
}
