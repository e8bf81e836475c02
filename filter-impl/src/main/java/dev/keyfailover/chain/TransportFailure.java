package dev.keyfailover.chain;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.RequestNotExecutedException;

/**
 * What kind of transport failure an attempt met, told by the exception's type, never its message
 * (behaviour.md §3, §18): the one place that says which failures are timeouts and which may be
 * retried.
 */
public enum TransportFailure {
    /** A connect, read or connection-pool timeout: never retried on the same route (silence repeats). */
    TIMEOUT,
    /**
     * Refused, reset, or an answer that ended before its head (HttpClient's
     * {@code NoHttpResponseException}, {@code RequestNotExecutedException}, any {@code SocketException}
     * such as {@code ConnectException}): nothing reached the client, the request may be retried.
     */
    TRANSIENT,
    /** Anything else (a TLS or protocol error, an unknown host, a cancelled request): not retried. */
    OTHER;

    /** The kind of {@code failure}. */
    public static TransportFailure of(Throwable failure) {
        if (failure instanceof SocketTimeoutException || failure instanceof ConnectionRequestTimeoutException) {
            // ConnectTimeoutException is a SocketTimeoutException.
            return TIMEOUT;
        }
        if (failure instanceof InterruptedIOException) {
            // A cancelled exchange (the client went away) or an interrupted thread.
            return OTHER;
        }
        if (failure instanceof NoHttpResponseException || failure instanceof RequestNotExecutedException
                || failure instanceof SocketException) {
            return TRANSIENT;
        }
        return OTHER;
    }
}
