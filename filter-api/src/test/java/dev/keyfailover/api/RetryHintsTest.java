package dev.keyfailover.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** behaviour.md §3, row 429: which header gives the advised wait, and which values are usable. */
class RetryHintsTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private static BasicHttpResponse tooManyRequests(String... nameValuePairs) {
        BasicHttpResponse response = new BasicHttpResponse(429);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            response.addHeader(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return response;
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    @Test
    void retryAfterMsIsReadAsMilliseconds() {
        assertThat(RetryHints.advisedWait(tooManyRequests("retry-after-ms", "1500"), NOW))
                .contains(Duration.ofMillis(1500));
    }

    @Test
    void xMsRetryAfterMsIsReadAsMilliseconds() {
        assertThat(RetryHints.advisedWait(tooManyRequests("x-ms-retry-after-ms", "2500"), NOW))
                .contains(Duration.ofMillis(2500));
    }

    @Test
    void millisecondHeaderNamesAreCaseInsensitive() {
        assertThat(RetryHints.advisedWait(tooManyRequests("Retry-After-Ms", "700"), NOW))
                .contains(Duration.ofMillis(700));
        assertThat(RetryHints.advisedWait(tooManyRequests("X-MS-RETRY-AFTER-MS", "800"), NOW))
                .contains(Duration.ofMillis(800));
    }

    @Test
    void fractionalMillisecondsAreRoundedUpNeverDown() {
        assertThat(RetryHints.advisedWait(tooManyRequests("retry-after-ms", "1500.2"), NOW))
                .contains(Duration.ofMillis(1501));
    }

    @Test
    void retryAfterDeltaSecondsIsReadAsSeconds() {
        assertThat(RetryHints.advisedWait(tooManyRequests("Retry-After", "30"), NOW))
                .contains(Duration.ofSeconds(30));
    }

    @Test
    void retryAfterDeltaSecondsToleratesSurroundingWhitespace() {
        assertThat(RetryHints.advisedWait(tooManyRequests("Retry-After", " 12 "), NOW))
                .contains(Duration.ofSeconds(12));
    }

    @Test
    void retryAfterHttpDateIsTheWaitFromNowUntilThatDate() {
        String date = httpDate(NOW.plusSeconds(120));

        assertThat(RetryHints.advisedWait(tooManyRequests("Retry-After", date), NOW))
                .contains(Duration.ofSeconds(120));
    }

    @Test
    void retryAfterHttpDateIsRelativeToTheGivenNowNotTheSystemClock() {
        Instant later = NOW.plus(Duration.ofDays(400));
        String date = httpDate(later.plusSeconds(45));

        assertThat(RetryHints.advisedWait(tooManyRequests("Retry-After", date), later))
                .contains(Duration.ofSeconds(45));
    }

    @Test
    void retryAfterHttpDateInThePastOrNowIsNotUsable() {
        assertThat(RetryHints.advisedWait(tooManyRequests("Retry-After", httpDate(NOW.minusSeconds(5))), NOW))
                .isEmpty();
        assertThat(RetryHints.advisedWait(tooManyRequests("Retry-After", httpDate(NOW)), NOW)).isEmpty();
    }

    @Test
    void noHeaderAtAllGivesNoAdvice() {
        assertThat(RetryHints.advisedWait(tooManyRequests(), NOW)).isEmpty();
    }

    @ParameterizedTest(name = "Retry-After: [{0}]")
    @ValueSource(strings = {"", "   ", "soon", "0", "-5", "-0.5", "1e3", "12abc", "Tomorrow, 99 Foo 2026"})
    void unusableRetryAfterGivesNoAdvice(String value) {
        assertThat(RetryHints.advisedWait(tooManyRequests("Retry-After", value), NOW)).isEmpty();
    }

    @ParameterizedTest(name = "retry-after-ms: [{0}]")
    @ValueSource(strings = {"", "soon", "0", "-1500", "0.0", "NaN"})
    void unusableMillisecondHeaderGivesNoAdvice(String value) {
        assertThat(RetryHints.advisedWait(tooManyRequests("retry-after-ms", value), NOW)).isEmpty();
        assertThat(RetryHints.advisedWait(tooManyRequests("x-ms-retry-after-ms", value), NOW)).isEmpty();
    }

    @Test
    void retryAfterMsTakesPrecedenceOverXMsRetryAfterMsAndRetryAfter() {
        BasicHttpResponse response = tooManyRequests(
                "Retry-After", "30", "x-ms-retry-after-ms", "2000", "retry-after-ms", "1000");

        assertThat(RetryHints.advisedWait(response, NOW)).contains(Duration.ofMillis(1000));
    }

    @Test
    void xMsRetryAfterMsTakesPrecedenceOverRetryAfter() {
        BasicHttpResponse response = tooManyRequests("Retry-After", "30", "x-ms-retry-after-ms", "2000");

        assertThat(RetryHints.advisedWait(response, NOW)).contains(Duration.ofMillis(2000));
    }

    @Test
    void millisecondHeadersTakePrecedenceOverALongerRetryAfterHttpDate() {
        BasicHttpResponse response = tooManyRequests(
                "Retry-After", httpDate(NOW.plusSeconds(600)), "retry-after-ms", "250");

        assertThat(RetryHints.advisedWait(response, NOW)).contains(Duration.ofMillis(250));
    }

    @Test
    void garbageRetryAfterMsFallsBackToXMsRetryAfterMs() {
        BasicHttpResponse response = tooManyRequests("retry-after-ms", "soon", "x-ms-retry-after-ms", "900");

        assertThat(RetryHints.advisedWait(response, NOW)).contains(Duration.ofMillis(900));
    }

    @Test
    void garbageMillisecondHeadersFallBackToRetryAfter() {
        BasicHttpResponse response = tooManyRequests(
                "retry-after-ms", "soon", "x-ms-retry-after-ms", "-4", "Retry-After", "7");

        assertThat(RetryHints.advisedWait(response, NOW)).contains(Duration.ofSeconds(7));
    }

    @Test
    void zeroMillisecondHeaderFallsBackToRetryAfterHttpDate() {
        BasicHttpResponse response = tooManyRequests(
                "retry-after-ms", "0", "Retry-After", httpDate(NOW.plusSeconds(90)));

        assertThat(RetryHints.advisedWait(response, NOW)).contains(Duration.ofSeconds(90));
    }

    @Test
    void absurdlyLargeValuesDoNotOverflowAndStayPositive() {
        Optional<Duration> seconds = RetryHints.advisedWait(
                tooManyRequests("Retry-After", "99999999999999999999999999"), NOW);
        Optional<Duration> millis = RetryHints.advisedWait(
                tooManyRequests("retry-after-ms", "99999999999999999999999999"), NOW);

        assertThat(seconds).hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofDays(365)));
        assertThat(millis).hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofDays(365)));
    }
}
