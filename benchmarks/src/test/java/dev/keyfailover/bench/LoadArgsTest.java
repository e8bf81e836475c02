package dev.keyfailover.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The load generator's {@code key=value} arguments ({@link LoadArgs}). */
class LoadArgsTest {

    @Test
    void aValueKeepsEveryEqualsSignAfterTheFirst() {
        LoadArgs args = LoadArgs.parse(new String[] {"header=x-portkey-config: {\"a\":\"b=c\"}", "port=8080"});

        assertThat(args.authHeaders()).containsExactly("x-portkey-config: {\"a\":\"b=c\"}");
        assertThat(args.authority()).isEqualTo("127.0.0.1:8080");
    }

    @Test
    void headersComeInOrderModeHeadersThenTheExtraHeaderThenTheBearerKey() {
        LoadArgs args = LoadArgs.parse(new String[] {"auth=sk-test", "header=X-Extra: 1"});

        assertThat(args.authHeaders("Accept: text/event-stream"))
                .containsExactly("Accept: text/event-stream", "X-Extra: 1", "Authorization: Bearer sk-test");
    }

    @Test
    void authNoneSendsNoAuthorizationHeader() {
        assertThat(LoadArgs.parse(new String[] {"auth=none"}).authHeaders()).isEmpty();
        assertThat(LoadArgs.parse(new String[0]).authHeaders()).isEmpty();
    }

    @Test
    void pathsStartWithTheRoutePrefixEmptyForDirect() {
        assertThat(LoadArgs.parse(new String[] {"prefix=/k1"}).path("/v1/sse")).isEqualTo("/k1/v1/sse");
        assertThat(LoadArgs.parse(new String[0]).path("/v1/sse")).isEqualTo("/v1/sse");
    }

    @Test
    void aMissingArgumentWithoutFallbackIsNamed() {
        LoadArgs args = LoadArgs.parse(new String[] {"conc=16"});

        assertThat(args.intArg("conc", 1)).isEqualTo(16);
        assertThat(args.intArg("think", 0)).isZero();
        assertThatThrownBy(() -> args.arg("mode", null)).hasMessage("missing mode");
    }
}
