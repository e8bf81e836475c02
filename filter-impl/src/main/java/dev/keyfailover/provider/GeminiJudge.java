package dev.keyfailover.provider;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import dev.keyfailover.api.FailoverRules;
import dev.keyfailover.api.KeyVerdict;
import org.apache.hc.core5.http.HttpResponse;

/**
 * What Gemini's answers mean for their key (behaviour.md §15), from Google's error body
 * ({@link GeminiErrors}), for the native API and the OpenAI-compatible endpoint alike:
 * <ul>
 *   <li>400 {@code API_KEY_INVALID}: the key is disabled (Gemini answers a bad key with 400);</li>
 *   <li>429 with a quota of zero for the model: the key is EXHAUSTED for that model;</li>
 *   <li>429 with the prepaid credit used up: the key is EXHAUSTED;</li>
 *   <li>429 of a per-day quota: the (key, model) cools until the next midnight Pacific time, when
 *       Google resets daily quotas, not capped by {@code maxCooldown};</li>
 *   <li>429 otherwise (a per-minute quota): cools for {@code RetryInfo.retryDelay}, else as any
 *       429 ({@code Retry-After}, else 60 s).</li>
 * </ul>
 * Every other answer, and a status the route names in {@code failoverOn}, follows the route's rules.
 */
final class GeminiJudge implements AnswerJudge {

    static final GeminiJudge INSTANCE = new GeminiJudge();

    /** Where Google's daily quotas reset. */
    static final ZoneId QUOTA_DAY = ZoneId.of("America/Los_Angeles");

    private GeminiJudge() {
    }

    @Override
    public KeyVerdict judge(FailoverRules rules, HttpResponse response, String errorBody, Instant now) {
        KeyVerdict verdict = rules.judge(response, errorBody, now);
        int status = response.getCode();
        if (errorBody == null || !FailoverRules.readsErrorBody(status) || rules.extraStatuses().containsKey(status)) {
            return verdict;
        }
        GeminiErrors.GeminiError error = GeminiErrors.parse(errorBody);
        if (status == 400) {
            return error.keyInvalid() ? KeyVerdict.DISABLE : verdict;
        }
        if (error.zeroLimit()) {
            return KeyVerdict.exhaustModel();
        }
        if (error.creditsDepleted()) {
            return KeyVerdict.EXHAUST;
        }
        if (error.perDay()) {
            return KeyVerdict.coolDownUntil(nextQuotaDay(now), now);
        }
        return error.advisedWait().map(KeyVerdict::coolDown).orElse(verdict);
    }

    /** The next midnight in Pacific time after {@code now} (23 or 25 hours apart across a clock change). */
    static Instant nextQuotaDay(Instant now) {
        ZonedDateTime local = now.atZone(QUOTA_DAY);
        return local.toLocalDate().plusDays(1).atStartOfDay(QUOTA_DAY).toInstant();
    }
}
