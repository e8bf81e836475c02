package dev.keyfailover.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * behaviour.md §9: an answer judged on its error body too: an empty balance (OpenAI 429
 * {@code insufficient_quota}, Anthropic 400 about the credit balance) sets the key aside, a
 * request too large for a key's tier skips it, anything else keeps the verdict of its status.
 */
class ErrorBodyJudgementTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    static final String OPENAI_QUOTA = "{\"error\":{\"message\":\"You exceeded your current quota, please check your"
            + " plan and billing details.\",\"type\":\"insufficient_quota\",\"param\":null,"
            + "\"code\":\"insufficient_quota\"}}";
    static final String OPENAI_RATE_LIMIT = "{\"error\":{\"message\":\"Rate limit reached for gpt-4o in organization"
            + " org-x on requests per min (RPM): Limit 3, Used 3, Requested 1.\",\"type\":\"requests\",\"param\":null,"
            + "\"code\":\"rate_limit_exceeded\"}}";
    static final String OPENAI_TOO_LARGE = "{\"error\":{\"message\":\"Request too large for gpt-4o in organization"
            + " org-x on tokens per min (TPM): Limit 30000, Requested 45000.\",\"type\":\"tokens\",\"param\":null,"
            + "\"code\":\"rate_limit_exceeded\"}}";
    static final String ANTHROPIC_CREDIT = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"message\":\"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing"
            + " to upgrade or purchase credits.\"}}";
    static final String ANTHROPIC_BAD_REQUEST = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"message\":\"max_tokens: Field required\"}}";

    private static BasicHttpResponse response(int status, String... nameValuePairs) {
        BasicHttpResponse response = new BasicHttpResponse(status);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            response.addHeader(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return response;
    }

    private static KeyVerdict judge(BasicHttpResponse response, String errorBody) {
        return FailoverRules.defaults().judge(response, errorBody, NOW);
    }

    @Test
    void anOpenAi429InsufficientQuotaIsAnEmptyBalanceNotARateLimit() {
        assertThat(judge(response(429, "Retry-After", "20"), OPENAI_QUOTA)).isEqualTo(KeyVerdict.EXHAUST);
    }

    @Test
    void insufficientQuotaAsTheTypeAloneOrTheCodeAloneIsEnough() {
        assertThat(judge(response(429), "{\"error\":{\"message\":\"m\",\"type\":\"insufficient_quota\"}}"))
                .isEqualTo(KeyVerdict.EXHAUST);
        assertThat(judge(response(429), "{\"error\":{\"message\":\"m\",\"type\":\"x\",\"code\":\"insufficient_quota\"}}"))
                .isEqualTo(KeyVerdict.EXHAUST);
    }

    @Test
    void anOrdinary429StaysARateLimitWithItsAdvisedWait() {
        assertThat(judge(response(429, "Retry-After", "20"), OPENAI_RATE_LIMIT))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(20)));
    }

    @Test
    void insufficientQuotaOutsideTheErrorObjectOrNestedDeeperIsNotRead() {
        assertThat(judge(response(429), "{\"type\":\"insufficient_quota\",\"error\":{\"type\":\"requests\"}}").action())
                .isEqualTo(KeyVerdict.Action.COOL_DOWN);
        assertThat(judge(response(429), "{\"error\":{\"type\":\"requests\",\"details\":{\"code\":\"insufficient_quota\"},"
                + "\"more\":[\"insufficient_quota\"]}}").action()).isEqualTo(KeyVerdict.Action.COOL_DOWN);
        assertThat(judge(response(429), "{\"error\":\"insufficient_quota\"}").action())
                .isEqualTo(KeyVerdict.Action.COOL_DOWN);
    }

    @Test
    void aRequestTooLargeForTheKeysTierSkipsTheKeyForThisRequestOnly() {
        assertThat(judge(response(429, "Retry-After", "20"), OPENAI_TOO_LARGE)).isEqualTo(KeyVerdict.SKIP);
    }

    @Test
    void requestTooLargeCountsOnlyAtTheStartOfTheMessage() {
        String elsewhere = "{\"error\":{\"message\":\"Rate limit reached. Request too large next time?\","
                + "\"type\":\"tokens\"}}";
        assertThat(judge(response(429), elsewhere).action()).isEqualTo(KeyVerdict.Action.COOL_DOWN);
    }

    @Test
    void anAnthropic400AboutTheCreditBalanceIsAnEmptyBalance() {
        assertThat(judge(response(400), ANTHROPIC_CREDIT)).isEqualTo(KeyVerdict.EXHAUST);
    }

    @Test
    void aPlain400GoesToTheClient() {
        assertThat(judge(response(400), ANTHROPIC_BAD_REQUEST)).isEqualTo(KeyVerdict.ACCEPT);
        assertThat(judge(response(400), OPENAI_QUOTA)).as("insufficient_quota counts on a 429 only")
                .isEqualTo(KeyVerdict.ACCEPT);
    }

    @Test
    void aCreditBalanceMessageOfAnotherErrorTypeIsNotAnEmptyBalance() {
        assertThat(judge(response(400), "{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                + "\"message\":\"Your credit balance is too low\"}}")).isEqualTo(KeyVerdict.ACCEPT);
    }

    @Test
    void errorBodiesOfOtherStatusesAreNotRead() {
        assertThat(FailoverRules.readsErrorBody(429)).isTrue();
        assertThat(FailoverRules.readsErrorBody(400)).isTrue();
        assertThat(FailoverRules.readsErrorBody(401)).isFalse();
        assertThat(FailoverRules.readsErrorBody(200)).isFalse();
        assertThat(judge(response(401), OPENAI_QUOTA)).isEqualTo(KeyVerdict.DISABLE);
        assertThat(judge(response(403), ANTHROPIC_CREDIT)).isEqualTo(KeyVerdict.SKIP);
        assertThat(judge(response(500), ANTHROPIC_CREDIT)).isEqualTo(KeyVerdict.ACCEPT);
    }

    @Test
    void a402IsAnEmptyBalanceWhateverItsBody() {
        assertThat(judge(response(402), null)).isEqualTo(KeyVerdict.EXHAUST);
        assertThat(judge(response(402), "not json")).isEqualTo(KeyVerdict.EXHAUST);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "   ", "not json", "[1,2]", "\"insufficient_quota\"", "{", "{\"error\":",
        "{\"error\":{\"type\":", "<html>429 Too Many Requests</html>", "null"})
    void anUnreadableBodyLeavesTheVerdictOfTheStatus(String body) {
        assertThat(judge(response(429, "Retry-After", "20"), body))
                .isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(20)));
        assertThat(judge(response(400), body)).isEqualTo(KeyVerdict.ACCEPT);
    }

    @Test
    void noBodyReadLeavesTheVerdictOfTheStatus() {
        assertThat(judge(response(429), null)).isEqualTo(KeyVerdict.coolDown(Duration.ofSeconds(60)));
    }

    @Test
    void aBodyCutAtTheReadLimitStillTellsWhatItSaidBeforeTheCut() {
        String cut = "{\"error\":{\"type\":\"insufficient_quota\",\"message\":\"You exceeded your current quota, ple";

        assertThat(judge(response(429), cut)).isEqualTo(KeyVerdict.EXHAUST);
    }

    @Test
    void aStatusNamedInFailoverOnKeepsItsRuleWhateverTheBodySays() {
        FailoverRules rules = FailoverRules.builder().failoverOn("400:skip").build();

        assertThat(rules.judge(response(400), ANTHROPIC_CREDIT, NOW)).isEqualTo(KeyVerdict.SKIP);
        assertThat(FailoverRules.defaults().judge(response(400), ANTHROPIC_CREDIT, NOW)).isEqualTo(KeyVerdict.EXHAUST);
    }
}
