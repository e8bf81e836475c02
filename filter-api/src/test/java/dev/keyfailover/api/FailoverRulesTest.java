package dev.keyfailover.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** behaviour.md §3: the judgement of an upstream answer for its key, row by row. */
class FailoverRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private static BasicHttpResponse response(int status, String... nameValuePairs) {
        BasicHttpResponse response = new BasicHttpResponse(status);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            response.addHeader(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return response;
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static KeyVerdict judge(BasicHttpResponse response) {
        return FailoverRules.defaults().judge(response, NOW);
    }

    // --- 429 ---

    @Test
    void rateLimitCoolsDownForRetryAfterMs() {
        KeyVerdict verdict = judge(response(429, "retry-after-ms", "1500"));

        assertThat(verdict).isEqualTo(KeyVerdict.coolDown(Duration.ofMillis(1500)));
        assertThat(verdict.action()).as("fails over").isNotEqualTo(KeyVerdict.Action.ACCEPT);
    }

    @Test
    void rateLimitCoolsDownForXMsRetryAfterMs() {
        assertThat(judge(response(429, "x-ms-retry-after-ms", "2500")))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofMillis(2500)));
    }

    @Test
    void rateLimitCoolsDownForRetryAfterDeltaSeconds() {
        assertThat(judge(response(429, "Retry-After", "30")))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(30)));
    }

    @Test
    void rateLimitCoolsDownUntilRetryAfterHttpDate() {
        assertThat(judge(response(429, "Retry-After", httpDate(NOW.plusSeconds(300)))))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(300)));
    }

    @Test
    void rateLimitWithoutAnyHintCoolsDownForSixtySeconds() {
        KeyVerdict verdict = judge(response(429));

        assertThat(verdict.action()).isEqualTo(KeyVerdict.Action.COOL_DOWN);
        assertThat(verdict.cooldown()).isEqualTo(Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "Retry-After: [{0}]")
    @ValueSource(strings = {"soon", "0", "-10", "", "Mon, 01 Jan 2001 00:00:00 GMT"})
    void rateLimitWithUnusableRetryAfterCoolsDownForSixtySeconds(String value) {
        assertThat(judge(response(429, "Retry-After", value)))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(60)));
    }

    @ParameterizedTest(name = "retry-after-ms: [{0}]")
    @ValueSource(strings = {"soon", "0", "-10", ""})
    void rateLimitWithUnusableMillisecondHintAndNoRetryAfterCoolsDownForSixtySeconds(String value) {
        assertThat(judge(response(429, "retry-after-ms", value)))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(60)));
        assertThat(judge(response(429, "x-ms-retry-after-ms", value)))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(60)));
    }

    @Test
    void millisecondHeadersTakePrecedenceOverRetryAfter() {
        assertThat(judge(response(429, "Retry-After", "30", "retry-after-ms", "1200")))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofMillis(1200)));
        assertThat(judge(response(429, "Retry-After", "30", "x-ms-retry-after-ms", "1300")))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofMillis(1300)));
    }

    @Test
    void garbageMillisecondHeaderFallsBackToRetryAfter() {
        assertThat(judge(response(429, "retry-after-ms", "abc", "Retry-After", "45")))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(45)));
    }

    @Test
    void aCooldownVerdictWithoutAPositiveWaitCoolsForTheDefaultSixtySeconds() {
        // The default lives in one place: a custom provider's verdict of zero gets it too.
        assertThat(KeyVerdict.coolDown(Duration.ZERO).cooldown()).isEqualTo(Duration.ofSeconds(60));
        assertThat(KeyVerdict.coolDown(Duration.ofSeconds(-1)).cooldown()).isEqualTo(Duration.ofSeconds(60));
        assertThat(KeyVerdict.coolDown(null).cooldown()).isEqualTo(Duration.ofSeconds(60));
        assertThat(KeyVerdict.coolDown(Duration.ofSeconds(5)).cooldown()).isEqualTo(Duration.ofSeconds(5));
        assertThat(new KeyVerdict(KeyVerdict.Action.SKIP, Duration.ofSeconds(5)).cooldown()).isZero();
    }

    // --- 401 ---

    @Test
    void unauthorizedDisablesTheKey() {
        KeyVerdict verdict = judge(response(401));

        assertThat(verdict).isEqualTo(KeyVerdict.DISABLE);
        assertThat(verdict.action()).as("fails over").isNotEqualTo(KeyVerdict.Action.ACCEPT);
    }

    @Test
    void unauthorizedDisablesEvenWithARetryAfterHeader() {
        assertThat(judge(response(401, "Retry-After", "10"))).isEqualTo(KeyVerdict.DISABLE);
    }

    // --- 403 ---

    @Test
    void forbiddenSkipsTheKeyForThisRequestByDefault() {
        KeyVerdict verdict = judge(response(403));

        assertThat(FailoverRules.defaults().on403()).isEqualTo(FailoverRules.On403.SKIP);
        assertThat(verdict).isEqualTo(KeyVerdict.SKIP);
        assertThat(verdict.action()).as("fails over").isNotEqualTo(KeyVerdict.Action.ACCEPT);
    }

    @Test
    void forbiddenDisablesTheKeyWithOn403Disable() {
        FailoverRules rules = FailoverRules.builder().on403(FailoverRules.On403.DISABLE).build();

        KeyVerdict verdict = rules.judge(response(403), NOW);

        assertThat(verdict).isEqualTo(KeyVerdict.DISABLE);
        assertThat(verdict.action()).as("fails over").isNotEqualTo(KeyVerdict.Action.ACCEPT);
    }

    @Test
    void forbiddenGoesToTheClientWithOn403Pass() {
        FailoverRules rules = FailoverRules.builder().on403(FailoverRules.On403.PASS).build();

        KeyVerdict verdict = rules.judge(response(403), NOW);

        assertThat(verdict).isEqualTo(KeyVerdict.ACCEPT);
        assertThat(verdict.action()).as("goes to the client").isEqualTo(KeyVerdict.Action.ACCEPT);
    }

    @Test
    void on403DoesNotChangeTheRulesFor401And429() {
        FailoverRules pass = FailoverRules.builder().on403(FailoverRules.On403.PASS).build();

        assertThat(pass.judge(response(401), NOW)).isEqualTo(KeyVerdict.DISABLE);
        assertThat(pass.judge(response(429), NOW)).isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(60)));
    }

    // --- failoverOn ---

    @Test
    void addedStatusWithCoolDownRuleCoolsDownLike429() {
        FailoverRules rules = FailoverRules.builder().failoverOn(529, KeyVerdict.Action.COOL_DOWN).build();

        assertThat(rules.judge(response(529, "Retry-After", "20"), NOW))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(20)));
        assertThat(rules.judge(response(529, "retry-after-ms", "400"), NOW))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofMillis(400)));
        assertThat(rules.judge(response(529), NOW))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(60)));
    }

    @Test
    void addedStatusWithSkipRuleSkipsLike403() {
        FailoverRules rules = FailoverRules.builder().failoverOn(402, KeyVerdict.Action.SKIP).build();

        KeyVerdict verdict = rules.judge(response(402), NOW);

        assertThat(verdict).isEqualTo(KeyVerdict.SKIP);
        assertThat(verdict.action()).as("fails over").isNotEqualTo(KeyVerdict.Action.ACCEPT);
    }

    @Test
    void severalAddedStatusesKeepTheirOwnRules() {
        FailoverRules rules = FailoverRules.builder()
                .failoverOn(402, KeyVerdict.Action.SKIP)
                .failoverOn(529, KeyVerdict.Action.COOL_DOWN)
                .build();

        assertThat(rules.extraStatuses())
                .containsEntry(402, KeyVerdict.Action.SKIP)
                .containsEntry(529, KeyVerdict.Action.COOL_DOWN)
                .hasSize(2);
        assertThat(rules.judge(response(402), NOW).action()).isEqualTo(KeyVerdict.Action.SKIP);
        assertThat(rules.judge(response(529), NOW).action()).isEqualTo(KeyVerdict.Action.COOL_DOWN);
        assertThat(rules.judge(response(503), NOW)).isEqualTo(KeyVerdict.ACCEPT);
    }

    @Test
    void statusesNotAddedAreAcceptedByTheDefaultsExceptA402WhichIsAnEmptyBalance() {
        // behaviour.md §9: any provider's 402 means the account is out of credit.
        assertThat(judge(response(402))).isEqualTo(KeyVerdict.EXHAUST);
        assertThat(judge(response(529, "Retry-After", "5"))).isEqualTo(KeyVerdict.ACCEPT);
        assertThat(judge(response(503))).isEqualTo(KeyVerdict.ACCEPT);
        assertThat(FailoverRules.defaults().extraStatuses()).isEmpty();
    }

    @Test
    void aStatusOutsideTheRangeFailoverOnMayNameIsJudgedLikeAnyOtherUnlistedOne() {
        // Upstream may send any three digits (and a broken one more); the rules must still answer.
        FailoverRules rules = FailoverRules.builder().failoverOn(599, KeyVerdict.Action.COOL_DOWN).build();

        assertThat(rules.judge(response(599), NOW).action()).isEqualTo(KeyVerdict.Action.COOL_DOWN);
        assertThat(rules.judge(response(600), NOW)).isEqualTo(KeyVerdict.ACCEPT);
        assertThat(rules.judge(response(999), "{\"error\":{}}", NOW)).isEqualTo(KeyVerdict.ACCEPT);
        assertThat(rules.judge(response(1000), NOW)).isEqualTo(KeyVerdict.ACCEPT);
    }

    @Test
    void extraStatusesCannotBeModifiedFromOutside() {
        FailoverRules rules = FailoverRules.builder().failoverOn(402, KeyVerdict.Action.SKIP).build();

        assertThatThrownBy(() -> rules.extraStatuses().put(529, KeyVerdict.Action.COOL_DOWN))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void laterBuilderChangesDoNotAlterBuiltRules() {
        FailoverRules.Builder builder = FailoverRules.builder().failoverOn(402, KeyVerdict.Action.SKIP);
        FailoverRules rules = builder.build();

        builder.failoverOn(529, KeyVerdict.Action.COOL_DOWN).on403(FailoverRules.On403.PASS);

        assertThat(rules.extraStatuses()).containsOnlyKeys(402);
        assertThat(rules.on403()).isEqualTo(FailoverRules.On403.SKIP);
    }

    // --- anything else ---

    @ParameterizedTest(name = "status {0}")
    @ValueSource(ints = {200, 201, 204, 301, 304, 400, 404, 408, 422, 500, 502, 503, 504})
    void otherStatusesAreAcceptedAndGoToTheClient(int status) {
        KeyVerdict verdict = judge(response(status, "Retry-After", "10", "retry-after-ms", "10000"));

        assertThat(verdict).isEqualTo(KeyVerdict.ACCEPT);
        assertThat(verdict.cooldown()).isZero();
        assertThat(verdict.action()).as("goes to the client").isEqualTo(KeyVerdict.Action.ACCEPT);
    }

    // --- builder validation ---

    @ParameterizedTest(name = "failoverOn({0})")
    @ValueSource(ints = {-1, 0, 99, 100, 200, 204, 299, 401, 403, 429, 600, 999})
    void builderRejectsStatusesThatCannotBeAddedToTheFailoverList(int status) {
        assertThatThrownBy(() -> FailoverRules.builder().failoverOn(status, KeyVerdict.Action.COOL_DOWN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(status));
    }

    @ParameterizedTest(name = "failoverOn(529, {0})")
    @EnumSource(value = KeyVerdict.Action.class, names = {"ACCEPT", "DISABLE"})
    void builderRejectsRulesOtherThanCoolDownAndSkip(KeyVerdict.Action action) {
        assertThatThrownBy(() -> FailoverRules.builder().failoverOn(529, action))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderRejectsAMissingRule() {
        assertThatThrownBy(() -> FailoverRules.builder().failoverOn(529, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderAcceptsBoundaryStatuses() {
        FailoverRules rules = FailoverRules.builder()
                .failoverOn(300, KeyVerdict.Action.SKIP)
                .failoverOn(599, KeyVerdict.Action.COOL_DOWN)
                .build();

        assertThat(rules.extraStatuses()).containsOnlyKeys(300, 599);
    }

    @Test
    void builderRejectsAMissingOn403() {
        assertThatThrownBy(() -> FailoverRules.builder().on403((FailoverRules.On403) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void configuredOn403AndFailoverOnAreParsedByTheBuilder() {
        FailoverRules rules = FailoverRules.builder().on403(" Disable ").failoverOn("402, 529:cooldown,409:skip").build();

        assertThat(rules.on403()).isEqualTo(FailoverRules.On403.DISABLE);
        assertThat(rules.extraStatuses()).containsExactly(Map.entry(402, KeyVerdict.Action.COOL_DOWN),
                Map.entry(409, KeyVerdict.Action.SKIP), Map.entry(529, KeyVerdict.Action.COOL_DOWN));
    }

    @Test
    void badConfiguredValuesAreRejectedNamingTheSetting() {
        assertThatThrownBy(() -> FailoverRules.builder().on403("sometimes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("on403");
        assertThatThrownBy(() -> FailoverRules.builder().failoverOn("402:retry"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failoverOn");
        assertThatThrownBy(() -> FailoverRules.builder().failoverOn("abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failoverOn");
        assertThatThrownBy(() -> FailoverRules.builder().failoverOn("429"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failoverOn");
    }
}
