package dev.keyfailover.servlet;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLHandshakeException;

import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.chain.UpstreamTimeoutException;
import dev.keyfailover.settings.Durations;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * What a transport failure with upstream is for the client (behaviour.md §3, §18 Timeouts): a
 * timeout (504) or not (502), and the proxy's message saying which failure it was: could not
 * connect, connection reset or closed, or silence (which timeout, how long). All by the
 * exception's type, never its message, and never a key, host or other internal detail.
 */
final class UpstreamFailures {

    /** The proxy's answer to a transport failure: its status and message. */
    record Answer(ProxyFailure failure, String message) {
    }

    private UpstreamFailures() {
    }

    /** A failure before any of the answer was received (a head held back for its first byte included). */
    static Answer beforeAnswer(IOException e) {
        if (e instanceof UpstreamTimeoutException timeout) {
            return silence(timeout);
        }
        if (e instanceof ConnectTimeoutException) {
            return timeout("could not connect to upstream: no connection within connectTimeout");
        }
        if (e instanceof ConnectionRequestTimeoutException) {
            return timeout("no connection to upstream became free within connectionRequestTimeout");
        }
        if (e instanceof SocketTimeoutException) {
            return timeout("upstream did not answer in time");
        }
        String cannotConnect = cannotConnect(e);
        if (cannotConnect != null) {
            return badGateway("could not connect to upstream: " + cannotConnect);
        }
        if (e instanceof NoHttpResponseException || e instanceof ConnectionClosedException
                || e instanceof SocketException) {
            return badGateway("upstream reset or closed the connection before answering");
        }
        return badGateway("upstream failed before answering");
    }

    /** A failure while the answer's body was read, before anything of it was sent to the client. */
    static Answer insideAnswer(IOException e) {
        if (e instanceof UpstreamTimeoutException timeout) {
            return silence(timeout);
        }
        if (e instanceof SocketTimeoutException) {
            return timeout("upstream went silent inside its answer");
        }
        if (e instanceof ConnectionClosedException || e instanceof SocketException) {
            return badGateway("upstream reset or closed the connection in the middle of its answer");
        }
        return badGateway("upstream failed while answering");
    }

    private static Answer silence(UpstreamTimeoutException timeout) {
        String within = Durations.text(timeout.timeout());
        return timeout(switch (timeout.waitingFor()) {
            case HEAD -> "upstream sent no answer within " + within + " (responseTimeout)";
            case FIRST_BYTE -> "upstream sent no first byte of its answer within " + within + " (firstByteTimeout)";
            case STREAM_IDLE -> "upstream was silent for " + within + " inside its answer (streamIdleTimeout)";
        });
    }

    /** Why no connection was made, or {@code null} when it was. */
    private static String cannotConnect(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof SSLHandshakeException) {
            return "TLS handshake failed";
        }
        return null;
    }

    private static Answer timeout(String message) {
        return new Answer(ProxyFailure.GATEWAY_TIMEOUT, message);
    }

    private static Answer badGateway(String message) {
        return new Answer(ProxyFailure.BAD_GATEWAY, message);
    }
}
