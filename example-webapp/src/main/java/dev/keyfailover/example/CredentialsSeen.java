package dev.keyfailover.example;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.keyfailover.pool.KeyHint;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What credentials the demo upstream was sent, so that a test (or a curious newcomer) can see what
 * crossed the proxy: a count of requests per credential header and masked key hint, such as
 * {@code "authorization sk-m…7890": 1}. Only hints are kept, never a key: the pool's hints are on
 * the status page already.
 */
final class CredentialsSeen {

    /** The headers the demo upstream reads a key from: OpenAI's, Anthropic's and Gemini's. */
    private static final List<String> HEADERS = List.of("authorization", "x-api-key", "x-goog-api-key");

    private final ConcurrentMap<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Counts every credential the request carries, each value of each credential header once. */
    void record(HttpServletRequest request) {
        for (String header : HEADERS) {
            for (String value : Collections.list(request.getHeaders(header))) {
                String key = value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value.trim();
                counts.computeIfAbsent(header + " " + KeyHint.of(key), k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    /** The counts as a JSON object, hint by hint. */
    void write(HttpServletResponse response) throws IOException {
        JsonObjectBuilder json = Json.createObjectBuilder();
        for (Map.Entry<String, AtomicLong> count : counts.entrySet()) {
            json.add(count.getKey(), count.getValue().get());
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.build().toString());
    }
}
