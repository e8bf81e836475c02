package dev.keyfailover.example;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keyfailover.pool.KeyHint;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The demo upstream's Gemini API (native, behaviour.md §15), at {@code /demo-upstream/gemini}:
 * {@code POST /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent} (server-sent
 * events with {@code ?alt=sse}, else one JSON array), {@code GET /v1beta/models} (the model list), the key in {@code x-goog-api-key} (or, as
 * Google also takes it, {@code ?key=}). By what the key contains, in Google's own error shape:
 * <ul>
 *   <li>{@code perminute}: 429 {@code RESOURCE_EXHAUSTED} of a per-minute quota, waiting
 *       {@value #RETRY_DELAY} in {@code RetryInfo};</li>
 *   <li>{@code perday}: 429 of the per-day quota (a {@code QuotaFailure} violation whose
 *       {@code quotaId} names a day), with the short {@code RetryInfo} Google adds to it;</li>
 *   <li>{@code invalid}: 400 {@code API_KEY_INVALID}, Gemini's answer to a bad key;</li>
 *   <li>any other key: served, in Gemini's shape ({@code candidates[].content.parts[].text},
 *       {@code usageMetadata}).</li>
 * </ul>
 * No key is 403 {@code PERMISSION_DENIED}; any other path 404 {@code NOT_FOUND}.
 */
final class DemoGemini {

    static final String RETRY_DELAY = "30s";
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Pattern MODELS = Pattern.compile("/v1(?:beta)?/models/?");
    private static final Pattern METHOD = Pattern.compile("/v1(?:beta)?/models/([^/:]+):(generateContent|streamGenerateContent)");

    private DemoGemini() {
    }

    /** Answers a request under {@code /gemini}; {@code path} is the part after it. */
    static void serve(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String key = key(request);
        if (key == null) {
            error(response, 403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without"
                    + " established identity). Please use API Key or other form of API consumer identity to call"
                    + " this API.", null);
            return;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if ("GET".equals(request.getMethod()) && MODELS.matcher(path).matches()) {
            // The model list (what the admin API's test sends): a bad key is refused, quotas do not apply.
            if (lower.contains("invalid")) {
                invalidKey(response);
            } else {
                json(response, JSON.createObjectBuilder().add("models", JSON.createArrayBuilder().add(
                        JSON.createObjectBuilder().add("name", "models/gemini-2.5-flash")
                                .add("displayName", "Gemini 2.5 Flash (demo)").add("supportedGenerationMethods",
                                        JSON.createArrayBuilder().add("generateContent").add("streamGenerateContent"))))
                        .build().toString());
            }
            return;
        }
        Matcher method = METHOD.matcher(path);
        if (!"POST".equals(request.getMethod()) || !method.matches()) {
            error(response, 404, "NOT_FOUND", "demo: no such endpoint " + request.getMethod() + " " + path, null);
            return;
        }
        request.getInputStream().readAllBytes();
        String model = method.group(1);
        if (lower.contains("perminute")) {
            quotaExceeded(response, "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "10", model, RETRY_DELAY);
        } else if (lower.contains("perday")) {
            quotaExceeded(response, "GenerateRequestsPerDayPerProjectPerModel-FreeTier", "250", model, "38s");
        } else if (lower.contains("invalid")) {
            invalidKey(response);
        } else {
            String served = "served by the demo upstream with key " + KeyHint.of(key);
            if (method.group(2).equals("generateContent")) {
                json(response, chunk(served, model, true).toString());
            } else if ("sse".equals(queryParameter(request, "alt"))) {
                stream(response, served, model);
            } else {
                JsonArrayBuilder chunks = JSON.createArrayBuilder();
                String[] words = served.split(" ");
                for (int i = 0; i < words.length; i++) {
                    chunks.add(chunk(words[i] + " ", model, i == words.length - 1));
                }
                json(response, chunks.build().toString());
            }
        }
    }

    /** Gemini's answer to a bad key: 400, not 401. */
    private static void invalidKey(HttpServletResponse response) throws IOException {
        error(response, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                JSON.createArrayBuilder().add(JSON.createObjectBuilder()
                        .add("@type", "type.googleapis.com/google.rpc.ErrorInfo").add("reason", "API_KEY_INVALID")
                        .add("domain", "googleapis.com").add("metadata", JSON.createObjectBuilder()
                                .add("service", "generativelanguage.googleapis.com"))));
    }

    /** Google's 429 for a quota that ran out, as Gemini sends it (the quota, a help link, the wait). */
    private static void quotaExceeded(HttpServletResponse response, String quotaId, String limit, String model,
            String retryDelay) throws IOException {
        error(response, 429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and"
                + " billing details. For more information on this error, head to:"
                + " https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric:"
                + " generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: " + limit
                + ", model: " + model + "\nPlease retry in " + retryDelay + ". (demo)",
                JSON.createArrayBuilder()
                        .add(JSON.createObjectBuilder().add("@type", "type.googleapis.com/google.rpc.QuotaFailure")
                                .add("violations", JSON.createArrayBuilder().add(JSON.createObjectBuilder()
                                        .add("quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests")
                                        .add("quotaId", quotaId)
                                        .add("quotaDimensions", JSON.createObjectBuilder().add("location", "global")
                                                .add("model", model))
                                        .add("quotaValue", limit))))
                        .add(JSON.createObjectBuilder().add("@type", "type.googleapis.com/google.rpc.Help")
                                .add("links", JSON.createArrayBuilder().add(JSON.createObjectBuilder()
                                        .add("description", "Learn more about Gemini API quotas")
                                        .add("url", "https://ai.google.dev/gemini-api/docs/rate-limits"))))
                        .add(JSON.createObjectBuilder().add("@type", "type.googleapis.com/google.rpc.RetryInfo")
                                .add("retryDelay", retryDelay)));
    }

    /** One {@code GenerateContentResponse}: the whole answer, or one chunk of a stream (the last says why it stopped). */
    private static JsonObject chunk(String text, String model, boolean last) {
        JsonObjectBuilder candidate = JSON.createObjectBuilder().add("content", JSON.createObjectBuilder()
                .add("parts", JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("text", text)))
                .add("role", "model"));
        if (last) {
            candidate.add("finishReason", "STOP");
        }
        candidate.add("index", 0);
        JsonObjectBuilder usage = JSON.createObjectBuilder().add("promptTokenCount", 5);
        if (last) {
            usage.add("candidatesTokenCount", 9);
        }
        usage.add("totalTokenCount", last ? 14 : 5);
        return JSON.createObjectBuilder().add("candidates", JSON.createArrayBuilder().add(candidate))
                .add("usageMetadata", usage).add("modelVersion", model).add("responseId", "demo-gemini").build();
    }

    /** {@code alt=sse}: one {@code data:} event per word, no {@code [DONE]} (Gemini ends the stream instead). */
    private static void stream(HttpServletResponse response, String text, String model) throws IOException {
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        PrintWriter out = response.getWriter();
        String[] words = text.split(" ");
        for (int i = 0; i < words.length; i++) {
            DemoEvents.write(out, "data: " + chunk(words[i] + " ", model, i == words.length - 1) + "\r\n\r\n");
        }
    }

    /** The key as Gemini reads it: {@code x-goog-api-key}, else the query's {@code key}. */
    private static String key(HttpServletRequest request) {
        String header = request.getHeader("x-goog-api-key");
        return header != null && !header.isBlank() ? header.trim() : queryParameter(request, "key");
    }

    /** A parameter of the query only (never the body, which a form content type would make the container read). */
    private static String queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void error(HttpServletResponse response, int status, String code, String message,
            JsonArrayBuilder details) throws IOException {
        response.setStatus(status);
        JsonObjectBuilder error = JSON.createObjectBuilder().add("code", status).add("message", message)
                .add("status", code);
        if (details != null) {
            error.add("details", details);
        }
        json(response, JSON.createObjectBuilder().add("error", error).build().toString());
    }

    private static void json(HttpServletResponse response, String body) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body);
    }
}
