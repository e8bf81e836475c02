package dev.keyfailover.sdk;

import static dev.keyfailover.sdk.WireUpstream.event;
import static dev.keyfailover.sdk.WireUpstream.json;
import static dev.keyfailover.sdk.WireUpstream.sse;

import java.util.ArrayList;
import java.util.List;

import dev.keyfailover.sdk.WireUpstream.Answer;

/**
 * Gemini's native API (generativelanguage.googleapis.com, {@code v1beta}) as it answers on the wire, for the
 * {@link WireUpstream}: a {@code GenerateContentResponse} ({@code candidates[].content.parts[].text},
 * {@code usageMetadata}), its {@code alt=sse} stream, and Google's error object
 * {@code {"error":{"code","message","status","details":[…]}}} with the details the proxy reads (behaviour §15).
 */
final class GeminiWire {

    static final String MODEL = "gemini-2.5-flash";

    private GeminiWire() {
    }

    /** A {@code generateContent} answer with one candidate whose one part is {@code text}. */
    static Answer generateContent(String text) {
        return json(200, response(text, "\"finishReason\":\"STOP\",", 3, 2));
    }

    /**
     * A {@code streamGenerateContent?alt=sse} answer: one event per word, each a whole
     * {@code GenerateContentResponse} on one {@code data:} line; the last one carries {@code finishReason}.
     */
    static Answer streamGenerateContent(String... words) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            boolean last = i == words.length - 1;
            events.add(event(null, response(words[i], last ? "\"finishReason\":\"STOP\"," : "", 3, i + 1)));
        }
        return sse(events.toArray(String[]::new));
    }

    private static String response(String text, String finishReason, int promptTokens, int candidateTokens) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"},"
                + finishReason + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":" + promptTokens
                + ",\"candidatesTokenCount\":" + candidateTokens + ",\"totalTokenCount\":"
                + (promptTokens + candidateTokens) + "},\"modelVersion\":\"" + MODEL + "\","
                + "\"responseId\":\"gemini-wire-1\"}";
    }

    /**
     * 429 of the free tier's per-minute request quota for {@link #MODEL}: a {@code QuotaFailure} naming a
     * per-minute quota id and a {@code RetryInfo} of {@code retryDelay}, as Gemini sends them.
     */
    static Answer perMinuteQuotaExceeded(String retryDelay) {
        return json(429, "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota, please check your"
                + " plan and billing details. For more information on this error, head to:"
                + " https://ai.google.dev/gemini-api/docs/rate-limits.\\n* Quota exceeded for metric:"
                + " generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10, model: " + MODEL
                + "\\nPlease retry in " + retryDelay + ".\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":["
                + "{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":"
                + "\"generativelanguage.googleapis.com/generate_content_free_tier_requests\",\"quotaId\":"
                + "\"GenerateRequestsPerMinutePerProjectPerModel-FreeTier\",\"quotaDimensions\":{\"location\":"
                + "\"global\",\"model\":\"" + MODEL + "\"},\"quotaValue\":\"10\"}]},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.Help\",\"links\":[{\"description\":\"Learn more about"
                + " Gemini API quotas\",\"url\":\"https://ai.google.dev/gemini-api/docs/rate-limits\"}]},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"" + retryDelay + "\"}]}}");
    }

    /**
     * 429 of a project with no quota at all for {@link #MODEL} (the free tier has none for it): {@code limit: 0} in
     * the message and a {@code QuotaFailure} whose {@code quotaValue} is 0.
     */
    static Answer noQuotaForTheModel() {
        return json(429, "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota, please check your"
                + " plan and billing details.\\n* Quota exceeded for metric:"
                + " generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: " + MODEL
                + "\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
                + "\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":"
                + "\"generativelanguage.googleapis.com/generate_content_free_tier_requests\",\"quotaId\":"
                + "\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\",\"quotaDimensions\":{\"location\":"
                + "\"global\",\"model\":\"" + MODEL + "\"},\"quotaValue\":\"0\"}]},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"21s\"}]}}");
    }

    /** 400 {@code INVALID_ARGUMENT} with the {@code ErrorInfo} reason {@code API_KEY_INVALID}: Gemini's bad key. */
    static Answer apiKeyInvalid() {
        return json(400, "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\","
                + "\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
                + "\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\",\"metadata\":{\"service\":"
                + "\"generativelanguage.googleapis.com\"}},{\"@type\":\"type.googleapis.com/google.rpc.LocalizedMessage\","
                + "\"locale\":\"en-US\",\"message\":\"API key not valid. Please pass a valid API key.\"}]}}");
    }
}
