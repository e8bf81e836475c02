package dev.keyfailover.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;

import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** behaviour.md §10: the providers' own rate-limit headers, read without ever failing on a bad value. */
class RateLimitsTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private static BasicHttpResponse response(int status, String... nameValuePairs) {
        BasicHttpResponse response = new BasicHttpResponse(status);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            response.addHeader(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return response;
    }

    private static RateLimits read(String... nameValuePairs) {
        return RateLimits.read(response(200, nameValuePairs), NOW);
    }

    // ---- OpenAI's reset durations ----

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "120ms, 120",
        "1s, 1000",
        "6m0s, 360000",
        "1h2m3.5s, 3723500",
        "0s, 0",
        "59.999s, 59999",
        "1m30s, 90000",
        "2h, 7200000",
        "0.5ms, 1",
        "' 7s ', 7000"})
    void openAiResetDurationsAreReadToTheMillisecondRoundedUp(String value, long millis) {
        assertThat(RateLimits.duration(value)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"soon", "1x", "", "   ", "1.5", "s", "ms", "-1s", "1s soon", "soon 1s", "1 s", "PT1S",
        "1s-", "12345678901234567890123456789012345678901s"})
    void garbageDurationsAreNotADuration(String value) {
        assertThat(RateLimits.duration(value)).isNull();
    }

    @Test
    void aMissingDurationIsNotADuration() {
        assertThat(RateLimits.duration(null)).isNull();
    }

    @Test
    void aHugeDurationIsCappedInsteadOfOverflowing() {
        assertThatCode(() -> RateLimits.duration("999999999999999999999h")).doesNotThrowAnyException();
        assertThat(RateLimits.duration("999999999999999999999h")).isEqualTo(Duration.ofDays(3650));
        assertThat(RateLimits.duration("9999999999999999999999999999999999.9s")).isEqualTo(Duration.ofDays(3650));
    }

    // ---- Anthropic's reset instants ----

    @Test
    void anthropicResetsAreRfc3339InstantsWithZOrAnOffset() {
        RateLimits utc = read("anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", "2026-11-24T10:00:30Z");
        RateLimits offset = read("anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", "2026-11-24T11:00:30+01:00");
        RateLimits fraction = read("anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", "2026-11-24T10:00:30.250Z");

        assertThat(utc.window("requests").orElseThrow().reset()).isEqualTo(NOW.plusSeconds(30));
        assertThat(offset.window("requests").orElseThrow().reset()).isEqualTo(NOW.plusSeconds(30));
        assertThat(fraction.window("requests").orElseThrow().reset()).isEqualTo(NOW.plusMillis(30_250));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"soon", "", "2026-11-24 10:00:30", "2026-11-24T10:00:30", "30s", "1764000000",
        "Tue, 24 Nov 2026 10:00:30 GMT"})
    void anthropicResetsThatAreNotRfc3339AreLeftOut(String value) {
        RateLimits limits = read("anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", value);

        assertThat(limits.window("requests").orElseThrow().reset()).isNull();
        assertThat(limits.usedUpUntil()).isEmpty();
    }

    // ---- reading an answer ----

    @Test
    void openAiHeadersGiveARequestsAndATokensWindow() {
        RateLimits limits = read(
                "x-ratelimit-limit-requests", "100",
                "x-ratelimit-remaining-requests", "99",
                "x-ratelimit-reset-requests", "600ms",
                "x-ratelimit-limit-tokens", "30000",
                "x-ratelimit-remaining-tokens", "29000",
                "x-ratelimit-reset-tokens", "2s");

        assertThat(limits.windows()).containsExactly(
                new RateLimits.Window("requests", 100, 99, NOW.plusMillis(600)),
                new RateLimits.Window("tokens", 30000, 29000, NOW.plusSeconds(2)));
        assertThat(limits.isEmpty()).isFalse();
    }

    @Test
    void anthropicHeadersGiveAWindowForEachLimitTheyName() {
        RateLimits limits = read(
                "anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-requests-remaining", "49",
                "anthropic-ratelimit-requests-reset", "2026-11-24T10:01:00Z",
                "anthropic-ratelimit-input-tokens-limit", "40000",
                "anthropic-ratelimit-input-tokens-remaining", "0",
                "anthropic-ratelimit-input-tokens-reset", "2026-11-24T10:00:12Z",
                "anthropic-ratelimit-output-tokens-remaining", "8000");

        assertThat(limits.windows()).containsExactly(
                new RateLimits.Window("requests", 50, 49, NOW.plusSeconds(60)),
                new RateLimits.Window("input-tokens", 40000, 0, NOW.plusSeconds(12)),
                new RateLimits.Window("output-tokens", -1, 8000, null));
        assertThat(limits.window("tokens")).isEmpty();
    }

    @Test
    void headerNamesAreMatchedIgnoringCase() {
        RateLimits limits = read("X-RateLimit-Remaining-Requests", "0", "X-RateLimit-Reset-Requests", "1s");

        assertThat(limits.usedUpUntil()).contains(NOW.plusSeconds(1));
    }

    @Test
    void theFirstOfARepeatedHeaderCountsAndNamesThatOnlyLookAlikeDoNot() {
        RateLimits limits = read(
                "x-ratelimit-limit-requests-extra", "7",
                "X-RATELIMIT-LIMIT-REQUESTS", "100",
                "x-ratelimit-limit-requests", "5",
                "x-ratelimit-remaining", "1",
                "anthropic-ratelimit-tokens-remaining", "3",
                "Anthropic-Ratelimit-Tokens-Remaining", "4");

        assertThat(limits.windows()).containsExactly(
                new RateLimits.Window("requests", 100, -1, null),
                new RateLimits.Window("tokens", -1, 3, null));
    }

    @Test
    void anAnswerWithoutRateLimitHeadersSaysNothing() {
        RateLimits limits = read("Retry-After", "5", "Content-Type", "application/json");

        assertThat(limits).isEqualTo(RateLimits.NONE);
        assertThat(limits.isEmpty()).isTrue();
        assertThat(limits.usedUpUntil()).isEmpty();
        assertThat(limits.requestShareLeft()).isEmpty();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"lots", "-1", "1.5", "", "1e3", "0x10", "99999999999999999999999"})
    void countsThatAreNotWholeNumbersAreUnknown(String value) {
        RateLimits limits = read("x-ratelimit-limit-requests", value, "x-ratelimit-remaining-requests", value,
                "x-ratelimit-reset-requests", "1s");

        RateLimits.Window requests = limits.window("requests").orElseThrow();
        assertThat(requests.limit()).isEqualTo(-1);
        assertThat(requests.remaining()).isEqualTo(-1);
        assertThat(limits.usedUpUntil()).isEmpty();
    }

    @Test
    void garbageEverywhereIsIgnoredNotAnError() {
        BasicHttpResponse garbage = response(200,
                "x-ratelimit-limit-requests", "many",
                "x-ratelimit-remaining-requests", "none",
                "x-ratelimit-reset-requests", "soon",
                "anthropic-ratelimit-tokens-reset", "tomorrow",
                "anthropic-ratelimit-tokens-remaining", "\u0000");

        assertThatCode(() -> RateLimits.read(garbage, NOW)).doesNotThrowAnyException();
        assertThat(RateLimits.read(garbage, NOW)).isEqualTo(RateLimits.NONE);
    }

    // ---- what the windows tell ----

    @Test
    void usedUpUntilIsTheLatestResetAmongTheLimitsWithNothingLeft() {
        RateLimits limits = read(
                "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "2s",
                "x-ratelimit-remaining-tokens", "0",
                "x-ratelimit-reset-tokens", "6m0s");

        assertThat(limits.usedUpUntil()).contains(NOW.plus(Duration.ofMinutes(6)));
    }

    @Test
    void aLimitWithSomethingLeftDoesNotCountAsUsedUpWhateverItsReset() {
        RateLimits limits = read(
                "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "2s",
                "x-ratelimit-remaining-tokens", "1",
                "x-ratelimit-reset-tokens", "1h");

        assertThat(limits.usedUpUntil()).contains(NOW.plusSeconds(2));
    }

    @Test
    void aLimitUsedUpWithoutAKnownResetGivesNoDeadline() {
        assertThat(read("x-ratelimit-remaining-requests", "0").usedUpUntil()).isEmpty();
        assertThat(read("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "soon").usedUpUntil())
                .isEmpty();
        assertThat(read("anthropic-ratelimit-requests-remaining", "0").usedUpUntil()).isEmpty();
    }

    @Test
    void requestShareLeftIsRemainingOverLimitOfTheRequestWindow() {
        assertThat(read("x-ratelimit-limit-requests", "100", "x-ratelimit-remaining-requests", "5")
                .requestShareLeft()).hasValue(0.05);
        assertThat(read("anthropic-ratelimit-requests-limit", "50", "anthropic-ratelimit-requests-remaining", "50")
                .requestShareLeft()).hasValue(1.0);
        assertThat(read("x-ratelimit-limit-requests", "100", "x-ratelimit-remaining-requests", "0")
                .requestShareLeft()).hasValue(0.0);
    }

    @Test
    void requestShareLeftIsUnknownWithoutBothCountsOrWithAZeroLimit() {
        assertThat(read("x-ratelimit-remaining-requests", "5").requestShareLeft()).isEmpty();
        assertThat(read("x-ratelimit-limit-requests", "100").requestShareLeft()).isEmpty();
        assertThat(read("x-ratelimit-limit-requests", "0", "x-ratelimit-remaining-requests", "0")
                .requestShareLeft()).isEmpty();
        // Only tokens known: the request share is not guessed from them.
        assertThat(read("x-ratelimit-limit-tokens", "100", "x-ratelimit-remaining-tokens", "5")
                .requestShareLeft()).isEmpty();
    }

    @Test
    void requestShareLeftNeverExceedsOneWhenRemainingExceedsTheLimit() {
        assertThat(read("x-ratelimit-limit-requests", "10", "x-ratelimit-remaining-requests", "15")
                .requestShareLeft()).hasValue(1.0);
    }
}
