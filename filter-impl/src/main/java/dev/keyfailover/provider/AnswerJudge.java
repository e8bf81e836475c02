package dev.keyfailover.provider;

import java.time.Instant;

import dev.keyfailover.api.FailoverRules;
import dev.keyfailover.api.KeyVerdict;
import org.apache.hc.core5.http.HttpResponse;

/**
 * What an upstream answer means for its key, for a provider whose API tells it its own way
 * (behaviour.md §3, §15): the route's {@link FailoverRules} and the answer, its error body included.
 */
@FunctionalInterface
interface AnswerJudge {

    /** The shared rules of behaviour.md §3 and §9, as every OpenAI- or Anthropic-shaped API needs. */
    AnswerJudge RULES = FailoverRules::judge;

    /**
     * @param errorBody the start of the error body, {@code null} when the engine did not read it
     */
    KeyVerdict judge(FailoverRules rules, HttpResponse response, String errorBody, Instant now);
}
