package dev.keyfailover.example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The demo upstream's failures of the provider itself, not of a key (behaviour.md §18), chosen by
 * the request's model whatever the key:
 * <ul>
 *   <li>{@value #HANG_UP_MODEL}: hangs up in the middle of its answer (a transport failure);</li>
 *   <li>{@value #FLAKY_MODEL}: every other request to a path fails, counted per path from the
 *       demo's start: the 1st, 3rd, 5th, ... are answered 503, 500, 503, ..., the others served
 *       (deterministic, so a test knows what two requests in a row give);</li>
 *   <li>{@value #SILENT_MODEL}: the request is taken and no answer's head comes for
 *       {@link #SILENCE} (no thread is held meanwhile), as an upstream that never answers.</li>
 * </ul>
 */
final class DemoFaults {

    static final String HANG_UP_MODEL = "demo-hang-up";
    static final String FLAKY_MODEL = "demo-flaky";
    static final String SILENT_MODEL = "demo-silent";
    static final Duration SILENCE = Duration.ofMinutes(5);

    private final ConcurrentMap<String, AtomicLong> flakyRequests = new ConcurrentHashMap<>();

    /** Starts an error answer and breaks it off: the connection is aborted, the client reads a cut body. */
    static void hangUp(HttpServletResponse response) throws IOException {
        response.setStatus(429);
        response.setContentType("application/json");
        response.setContentLength(1024);
        response.getOutputStream().write("{\"error\":".getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
        throw new IOException("demo: hanging up in the middle of an answer");
    }

    /** The status a {@value #FLAKY_MODEL} request to {@code path} fails with, or 0 when this one is served. */
    int flaky(String path) {
        long n = flakyRequests.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
        if (n % 2 == 0) {
            return 0;
        }
        return n % 4 == 1 ? 503 : 500;
    }

    /**
     * Takes the request and answers nothing for {@link #SILENCE}; then a late 504 of its own. A
     * client that gives up earlier is noticed by the container whenever it notices.
     */
    static void staySilent(HttpServletRequest request) {
        AsyncContext silence = request.startAsync();
        silence.setTimeout(SILENCE.toMillis());
        silence.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) throws IOException {
                HttpServletResponse response = (HttpServletResponse) event.getAsyncContext().getResponse();
                response.setStatus(504);
                response.setContentType("application/json");
                response.getWriter().write("{\"error\":{\"message\":\"demo: the silent case gave up\","
                        + "\"type\":\"server_error\",\"code\":null}}");
                event.getAsyncContext().complete();
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
                event.getAsyncContext().complete();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
    }
}
