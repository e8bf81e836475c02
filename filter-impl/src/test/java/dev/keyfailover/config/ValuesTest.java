package dev.keyfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations, sizes and counts as written in init-params (docs/configuration.md). */
class ValuesTest {

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S",
            "30s, PT30S",
            "15m, PT15M",
            "1h, PT1H",
            "2d, PT48H",
            "0s, PT0S",
            "PT30S, PT30S",
            "pt1m30s, PT1M30S",
            "P1D, PT24H",
            "' 45 s ', PT45S",
            "10S, PT10S",
            "250MS, PT0.25S"
    })
    void durations(String text, String expected) {
        assertThat(Values.duration(text)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void minutesAreNotMonthsOrMilliseconds() {
        assertThat(Values.duration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Values.duration("15ms")).isEqualTo(Duration.ofMillis(15));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "30", "30x", "1.5s", "-5s", "s", "30 seconds", "PT", "15min", "1w"})
    void badDurationsAreRejectedWithExamples(String text) {
        assertThatThrownBy(() -> Values.duration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("is not a duration")
                .hasMessageContaining("30s");
    }

    @ParameterizedTest
    @CsvSource({
            "1048576, 1048576",
            "0, 0",
            "100b, 100",
            "512KiB, 524288",
            "512k, 524288",
            "512KB, 524288",
            "64MiB, 67108864",
            "64m, 67108864",
            "64mb, 67108864",
            "1g, 1073741824",
            "2GiB, 2147483648",
            "'  8 MiB ', 8388608"
    })
    void sizes(String text, long expected) {
        assertThat(Values.bytes(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "1.5MiB", "64 megabytes", "12TiB", "MiB", "1e6"})
    void badSizesAreRejectedWithExamples(String text) {
        assertThatThrownBy(() -> Values.bytes(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("is not a size in bytes")
                .hasMessageContaining("64MiB");
    }

    @Test
    void sizesTooLargeForALongAreRejected() {
        assertThatThrownBy(() -> Values.bytes("99999999999999999999"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> Values.bytes("9999999999999g"))
                .isInstanceOf(ArithmeticException.class);
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "200, 200", "' 16 ', 16", "2147483647, 2147483647"})
    void positiveInts(String text, int expected) {
        assertThat(Values.positiveInt(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "", "1.5", "2147483648", "10k"})
    void nonPositiveOrNonNumericIntsAreRejected(String text) {
        assertThatThrownBy(() -> Values.positiveInt(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("is not a positive whole number");
    }
}
