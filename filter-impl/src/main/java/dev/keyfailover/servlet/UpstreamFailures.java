package dev.keyfailover.servlet;

import java.io.IOException;

import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.chain.TransportFailure;

/** What a transport failure with upstream is for the client (behaviour.md §3): a timeout (504) or not (502), by type. */
final class UpstreamFailures {

    private UpstreamFailures() {
    }

    static ProxyFailure of(IOException e) {
        return TransportFailure.of(e) == TransportFailure.TIMEOUT
                ? ProxyFailure.GATEWAY_TIMEOUT
                : ProxyFailure.BAD_GATEWAY;
    }
}
