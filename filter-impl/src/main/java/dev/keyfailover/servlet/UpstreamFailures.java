package dev.keyfailover.servlet;

import java.io.IOException;
import java.net.SocketTimeoutException;

import dev.keyfailover.api.ProxyFailure;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;

/** What a transport failure with upstream is for the client (behaviour.md §3): a timeout (504) or not (502), by type. */
final class UpstreamFailures {

    private UpstreamFailures() {
    }

    static ProxyFailure of(IOException e) {
        return e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException
                || e instanceof ConnectionRequestTimeoutException
                ? ProxyFailure.GATEWAY_TIMEOUT
                : ProxyFailure.BAD_GATEWAY;
    }
}
