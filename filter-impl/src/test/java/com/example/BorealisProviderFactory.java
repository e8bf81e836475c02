package com.example;

// The second provider of docs/custom-providers.md, word for word: CustomProviderTest proves the guide works.

import dev.keyfailover.api.*;
import java.time.*;
import java.util.List;
import org.apache.hc.core5.http.*;

public final class BorealisProviderFactory implements ProviderFactory {
    public static final ZoneId QUOTA_DAY = ZoneId.of("Europe/Oslo");                 // where its daily quotas reset

    @Override public String type() { return "borealis"; }

    @Override public Provider create(ProviderSettings settings) {
        FailoverRules rules = settings.failoverRules();                     // 401, 402, 429, on403, failoverOn
        ModelSource models = new ModelSource("model", List.of("/engines/"));  // body "model", else /engines/{model}
        return new Provider() {
            @Override public String name() { return settings.name(); }
            @Override public List<String> credentialHeaders() { return List.of("X-Borealis-Key"); }
            @Override public void applyKey(HttpRequest request, String key) { request.setHeader("X-Borealis-Key", key); }
            @Override public FailoverRules failoverRules() { return rules; }
            @Override public ModelSource modelSource() { return models; }

            // Called with the error body of the statuses FailoverRules.readsErrorBody names (400, 402, 403, 429).
            @Override public KeyVerdict judge(HttpResponse response, String errorBody, Instant now) {
                KeyVerdict verdict = rules.judge(response, errorBody, now);   // the built-in reading first
                if (response.getCode() != 429 || errorBody == null || rules.extraStatuses().containsKey(429)) {
                    return verdict;                                           // failoverOn keeps its own rule
                }
                if (errorBody.contains("\"daily_quota\"")) {                   // known deadline: not capped
                    Instant midnight = now.atZone(QUOTA_DAY).toLocalDate().plusDays(1).atStartOfDay(QUOTA_DAY).toInstant();
                    return KeyVerdict.coolDownUntil(midnight, now);
                }
                if (errorBody.contains("\"model_not_in_plan\"")) {             // this key, this model: never
                    return KeyVerdict.exhaustModel();
                }
                return RetryHints.advisedWait(response, now).map(KeyVerdict::coolDown).orElse(verdict);
            }

            @Override public RateLimits rateLimits(HttpResponse response, Instant now) {
                Header left = response.getFirstHeader("X-Borealis-Requests-Left");
                if (left == null) {
                    return RateLimits.read(response, now);                    // x-ratelimit-*, as OpenAI sends them
                }
                return new RateLimits(List.of(new RateLimits.Window("requests", -1, Long.parseLong(left.getValue()),
                        now.plusSeconds(60))));                               // a window of one minute
            }

            @Override public ClassicHttpResponse exhaustedResponse(KeyPoolExhaustion error) {
                return ErrorFormat.OPENAI.exhausted(error);                   // OpenAI's shape, Retry-After included
            }

            @Override public ClassicHttpResponse failureResponse(ProxyFailure failure, String message) {
                return ErrorFormat.OPENAI.failure(failure, message);          // 502, 504, 413, ... in OpenAI's shape
            }
        };
    }
}
