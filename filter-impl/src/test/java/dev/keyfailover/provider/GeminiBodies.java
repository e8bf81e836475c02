package dev.keyfailover.provider;

/** Google's error answers as Gemini sends them (behaviour.md §15), for the tests. */
final class GeminiBodies {

    private GeminiBodies() {
    }

    /** A 429 of a per-minute quota, with the wait in {@code RetryInfo}. */
    static String perMinute(String model, String retryDelay) {
        return quota("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "10", model, retryDelay,
                "limit: 10, model: " + model);
    }

    /** A 429 of a per-day quota; Google adds a short {@code RetryInfo} to it too. */
    static String perDay(String model) {
        return quota("GenerateRequestsPerDayPerProjectPerModel-FreeTier", "250", model, "38s",
                "limit: 250, model: " + model);
    }

    /** A 429 for a model the project has no quota for: {@code limit: 0}. */
    static String zeroLimit(String model) {
        return quota("GenerateContentInputTokensPerModelPerMinute-FreeTier", "0", model, "12s",
                "limit: 0, model: " + model);
    }

    /** Gemini's 400 for a key that is not valid. */
    static final String API_KEY_INVALID = "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a"
            + " valid API key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
            + "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":"
            + "\"googleapis.com\",\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}},"
            + "{\"@type\":\"type.googleapis.com/google.rpc.LocalizedMessage\",\"locale\":\"en-US\",\"message\":"
            + "\"API key not valid. Please pass a valid API key.\"}]}}";

    /** A plain 400 of a bad request, which says nothing of the key. */
    static final String BAD_REQUEST = "{\"error\":{\"code\":400,\"message\":\"* GenerateContentRequest.contents:"
            + " contents is not specified\\n\",\"status\":\"INVALID_ARGUMENT\"}}";

    /** The body as Gemini's OpenAI-compatible endpoint sends it: the error object inside an array. */
    static String inArray(String body) {
        return "[" + body + "]";
    }

    private static String quota(String quotaId, String value, String model, String retryDelay, String limit) {
        return "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota, please check your plan and"
                + " billing details. For more information on this error, head to:"
                + " https://ai.google.dev/gemini-api/docs/rate-limits.\\n* Quota exceeded for metric:"
                + " generativelanguage.googleapis.com/generate_content_free_tier_requests, " + limit
                + "\\nPlease retry in " + retryDelay + ".\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":["
                + "{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":"
                + "\"generativelanguage.googleapis.com/generate_content_free_tier_requests\",\"quotaId\":\""
                + quotaId + "\",\"quotaDimensions\":{\"location\":\"global\",\"model\":\"" + model + "\"},"
                + "\"quotaValue\":\"" + value + "\"}]},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.Help\",\"links\":[{\"description\":\"Learn more about"
                + " Gemini API quotas\",\"url\":\"https://ai.google.dev/gemini-api/docs/rate-limits\"}]},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"" + retryDelay + "\"}]}}";
    }
}
