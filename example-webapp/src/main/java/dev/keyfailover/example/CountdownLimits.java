package dev.keyfailover.example;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The demo upstream's request limit for {@code countdown} keys: a window of a few requests per key
 * that refills a while after its first request, told on every answer in the provider's own
 * headers (OpenAI {@code x-ratelimit-*}, Anthropic {@code anthropic-ratelimit-*}), so the proxy can
 * move on when nothing is left instead of spending a 429.
 */
final class CountdownLimits {

    private final int limit;
    private final Duration window;
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(Instant resets, int used) {
    }

    CountdownLimits(int limit, Duration window) {
        this.limit = limit;
        this.window = window;
    }

    /** Counts one request for the key and writes what is left (a request past the limit still gets served: it is a demo). */
    void answer(String key, boolean anthropic, HttpServletResponse response) {
        Instant now = Instant.now();
        Window current = windows.compute(key, (k, w) -> w == null || !now.isBefore(w.resets())
                ? new Window(now.plus(window), 1)
                : new Window(w.resets(), w.used() + 1));
        int remaining = Math.max(0, limit - current.used());
        Duration untilReset = Duration.between(now, current.resets());
        if (anthropic) {
            response.setHeader("anthropic-ratelimit-requests-limit", Integer.toString(limit));
            response.setHeader("anthropic-ratelimit-requests-remaining", Integer.toString(remaining));
            response.setHeader("anthropic-ratelimit-requests-reset",
                    DateTimeFormatter.ISO_INSTANT.format(current.resets()));
        } else {
            response.setHeader("x-ratelimit-limit-requests", Integer.toString(limit));
            response.setHeader("x-ratelimit-remaining-requests", Integer.toString(remaining));
            response.setHeader("x-ratelimit-reset-requests", untilReset.toSeconds() + "s");
        }
    }
}
