package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The proxy's own check of the forwarded path, for containers laxer than Jetty's defaults (Jetty
 * answers 400 to empty segments itself; Tomcat hands the raw URI through, where
 * {@code /openai//evil.host/x} leaves {@code //evil.host/x} after the prefix).
 */
class ForwardPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"//evil.host/x", "///evil.host/x", "//127.0.0.1:9/v1/models", "/..", "/v1/%2e%2e/x",
            "/v1/..;/x", "/a\\b", "/a b", "/a\r\nb"})
    void aPathThatCouldNameAnotherHostOrLeaveTheBaseIsRefused(String rest) {
        assertThatThrownBy(() -> ForwardPath.check(rest)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(rest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/v1/chat/completions", "/v1//files", "/@evil.host/x", "/v1/a%20b%2Bc",
            "/v1/%252e%252e"})
    void anOrdinaryPathIsKeptAsSent(String rest) {
        assertThat(ForwardPath.check(rest)).isEqualTo(rest);
    }
}
