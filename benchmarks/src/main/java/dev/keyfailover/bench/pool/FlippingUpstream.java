package dev.keyfailover.bench.pool;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * 200 with a small completion, 429 with {@code Retry-After} while the schedule says the key is limited, or 401 for
 * the dead key once its time has come.
 */
final class FlippingUpstream extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong tooMany = new AtomicLong();
    final AtomicLong unauthorized = new AtomicLong();
    volatile transient List<Flip> schedule;
    /** From this many ms after {@link #start()} on, {@link PacedPhase#DEAD_KEY} answers 401; negative: never. */
    volatile long deadFromMillis = -1;
    private volatile long startMillis;
    volatile long latencyMillis;

    FlippingUpstream(List<Flip> schedule) {
        this.schedule = schedule;
    }

    void start() {
        startMillis = System.currentTimeMillis();
    }

    void stop() {
        startMillis = 0;
    }

    int flipsSeen(long wallNanos) {
        long span = wallNanos / 1_000_000;
        return (int) schedule.stream().filter(f -> f.fromMillis() < span).count();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        attempts.incrementAndGet();
        request.getInputStream().readAllBytes();
        String auth = String.valueOf(request.getHeader("Authorization"));
        long start = startMillis;
        long limitedUntil = 0;
        boolean dead = false;
        if (start != 0) {
            long now = System.currentTimeMillis() - start;
            int key = -1;
            for (int i = 0; i < SharedStateBench.KEYS.length; i++) {
                if (auth.endsWith(SharedStateBench.KEYS[i])) {
                    key = i;
                }
            }
            dead = key == PacedPhase.DEAD_KEY && deadFromMillis >= 0 && now >= deadFromMillis;
            for (Flip flip : schedule) {
                if (flip.fromMillis() > now) {
                    break;
                }
                if (flip.key() == key && now < flip.toMillis()) {
                    limitedUntil = Math.max(limitedUntil, flip.toMillis() - now);
                }
            }
        }
        long latency = latencyMillis;
        if (latency > 0) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        response.setContentType("application/json");
        if (dead) {
            unauthorized.incrementAndGet();
            response.setStatus(401);
            response.getWriter().write("{\"error\":{\"message\":\"Incorrect API key provided\","
                    + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
            return;
        }
        if (limitedUntil > 0) {
            tooMany.incrementAndGet();
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString((limitedUntil + 999) / 1000));
            response.getWriter().write("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                    + "\"code\":\"rate_limit_exceeded\"}}");
            return;
        }
        response.getWriter().write("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"choices\":[]}");
    }
}
