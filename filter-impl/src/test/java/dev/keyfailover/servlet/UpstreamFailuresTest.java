package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.stream.Stream;

import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.chain.UpstreamTimeoutException;
import dev.keyfailover.chain.UpstreamTimeoutException.Wait;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each transport failure's status and message (behaviour.md §3, §18 Timeouts), told by type: the
 * exceptions' own messages are all the same here, so a rule reading them would fail.
 */
class UpstreamFailuresTest {

    private static final String SAME = "same text";

    static Stream<Arguments> beforeTheAnswer() {
        return Stream.of(
                Arguments.of(new ConnectException(SAME), 502, "could not connect to upstream: connection refused"),
                Arguments.of(new UnknownHostException(SAME), 502, "could not connect to upstream: unknown host"),
                Arguments.of(new ConnectTimeoutException(SAME), 504,
                        "could not connect to upstream: no connection within connectTimeout"),
                Arguments.of(new ConnectionRequestTimeoutException(SAME), 504,
                        "no connection to upstream became free within connectionRequestTimeout"),
                Arguments.of(new SocketException(SAME), 502, "upstream reset or closed the connection before answering"),
                Arguments.of(new NoHttpResponseException(SAME), 502,
                        "upstream reset or closed the connection before answering"),
                Arguments.of(new UpstreamTimeoutException(Wait.HEAD, Duration.ofSeconds(30)), 504,
                        "upstream sent no answer within 30 s (responseTimeout)"),
                Arguments.of(new UpstreamTimeoutException(Wait.FIRST_BYTE, Duration.ofMillis(1500)), 504,
                        "upstream sent no first byte of its answer within 1500 ms (firstByteTimeout)"),
                Arguments.of(new SocketTimeoutException(SAME), 504, "upstream did not answer in time"),
                Arguments.of(new IOException(SAME), 502, "upstream failed before answering"));
    }

    @ParameterizedTest
    @MethodSource
    void beforeTheAnswer(IOException failure, int status, String message) {
        UpstreamFailures.Answer answer = UpstreamFailures.beforeAnswer(failure);

        assertThat(answer.failure().status()).isEqualTo(status);
        assertThat(answer.message()).isEqualTo(message);
    }

    static Stream<Arguments> insideTheAnswer() {
        return Stream.of(
                Arguments.of(new UpstreamTimeoutException(Wait.STREAM_IDLE, Duration.ofMinutes(10)), 504,
                        "upstream was silent for 10 min inside its answer (streamIdleTimeout)"),
                Arguments.of(new ConnectionClosedException(SAME), 502,
                        "upstream reset or closed the connection in the middle of its answer"),
                Arguments.of(new SocketException(SAME), 502,
                        "upstream reset or closed the connection in the middle of its answer"),
                Arguments.of(new IOException(SAME), 502, "upstream failed while answering"));
    }

    @ParameterizedTest
    @MethodSource
    void insideTheAnswer(IOException failure, int status, String message) {
        UpstreamFailures.Answer answer = UpstreamFailures.insideAnswer(failure);

        assertThat(answer.failure()).isEqualTo(status == 504 ? ProxyFailure.GATEWAY_TIMEOUT : ProxyFailure.BAD_GATEWAY);
        assertThat(answer.message()).isEqualTo(message);
    }
}
