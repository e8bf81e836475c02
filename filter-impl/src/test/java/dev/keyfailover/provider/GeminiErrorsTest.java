package dev.keyfailover.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** behaviour.md §15: what is read from Google's error bodies, and that nothing unreadable is an error. */
class GeminiErrorsTest {

    @Test
    void aProtobufDurationIsAWaitRoundedUpToTheMillisecond() {
        assertThat(GeminiErrors.duration("38s")).isEqualTo(Duration.ofSeconds(38));
        assertThat(GeminiErrors.duration("1.0005s")).isEqualTo(Duration.ofMillis(1001));
        assertThat(GeminiErrors.duration("0s")).isNull();
        assertThat(GeminiErrors.duration("38")).isNull();
        assertThat(GeminiErrors.duration("-3s")).isNull();
    }

    @Test
    void theSignalsOfAQuotaAnswerAreReadFromTheObjectOrTheArray() {
        for (String body : new String[] {GeminiBodies.perDay("m"), GeminiBodies.inArray(GeminiBodies.perDay("m"))}) {
            GeminiErrors.GeminiError error = GeminiErrors.parse(body);
            assertThat(error.status()).isEqualTo("RESOURCE_EXHAUSTED");
            assertThat(error.perDay()).isTrue();
            assertThat(error.zeroLimit()).isFalse();
            assertThat(error.advisedWait()).hasValue(Duration.ofSeconds(38));
        }
        assertThat(GeminiErrors.parse(GeminiBodies.perMinute("m", "5s")).perDay()).isFalse();
        assertThat(GeminiErrors.parse(GeminiBodies.zeroLimit("m")).zeroLimit()).isTrue();
        assertThat(GeminiErrors.parse(GeminiBodies.API_KEY_INVALID).keyInvalid()).isTrue();
        assertThat(GeminiErrors.parse(GeminiBodies.BAD_REQUEST).keyInvalid()).isFalse();
    }

    @Test
    void limitZeroInTheMessageCountsOnlyAsAWholeZero() {
        assertThat(GeminiErrors.parse(message("Quota exceeded, limit: 0, model: m")).zeroLimit()).isTrue();
        assertThat(GeminiErrors.parse(message("Quota exceeded, limit: 0.5")).zeroLimit()).isFalse();
        assertThat(GeminiErrors.parse(message("Quota exceeded, limit: 05")).zeroLimit()).isFalse();
        assertThat(GeminiErrors.parse(message("Quota exceeded, limit: 100")).zeroLimit()).isFalse();
    }

    @Test
    void anUnreadableBodyIsAnEmptyError() {
        for (String body : new String[] {null, "", "not json", "[]", "[1]", "{\"error\":\"x\"}",
                GeminiBodies.perDay("m").substring(0, 200)}) {
            assertThat(GeminiErrors.parse(body)).as(String.valueOf(body)).isEqualTo(GeminiErrors.GeminiError.EMPTY);
        }
    }

    private static String message(String text) {
        return "{\"error\":{\"code\":429,\"message\":\"" + text + "\",\"status\":\"RESOURCE_EXHAUSTED\"}}";
    }
}
