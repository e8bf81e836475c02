package dev.keyfailover.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The fake upstream's provider failures (scenario 9): a chat request whose path holds {@code /flaky/} fails as the
 * armed plan says; one whose path holds {@code /healthy/} never does and is counted as a fallback's attempt.
 *
 * <p>{@code /__faults?failPercent=P&seed=S&warmupMs=W&downFromMs=F&downForMs=D} arms a plan and zeroes its counters.
 * Its clock starts at the next flaky or healthy request (the load generator's first, so both count the same
 * warm-up): for {@code W} ms nothing fails and nothing is counted (the load generator's own warm-up); then the
 * measurement window starts, in which every flaky request from {@code F} to {@code F + D} ms answers 503 (the
 * provider is down), and otherwise the {@code n}-th flaky request of the window fails when a seeded hash of
 * {@code n} says so, in P % of requests, evenly as 500, 503 or a connection reset after its body was read. The
 * same seed gives the same sequence of verdicts in every run, whatever the candidate.
 */
final class Faults {

    /** What a flaky request gets. */
    enum Fault { NONE, ERROR_500, OVERLOADED_503, RESET, DOWN_503 }

    static final byte[] SERVER_ERROR = ("{\"error\":{\"message\":\"The server had an error while processing your "
            + "request (benchmark)\",\"type\":\"server_error\",\"code\":null}}").getBytes(StandardCharsets.UTF_8);
    static final byte[] OVERLOADED = ("{\"error\":{\"message\":\"The engine is currently overloaded (benchmark)\","
            + "\"type\":\"server_error\",\"code\":null}}").getBytes(StandardCharsets.UTF_8);

    private volatile Plan plan = new Plan(0, 0, 0, 0, 0);
    private final AtomicLong startNanos = new AtomicLong();
    private final AtomicLong flaky = new AtomicLong();
    private final AtomicLong healthy = new AtomicLong();
    private final AtomicLong[] byFault = new AtomicLong[Fault.values().length];

    private record Plan(int failPercent, long seed, long warmupMs, long downFromMs, long downForMs) {
    }

    Faults() {
        for (int i = 0; i < byFault.length; i++) {
            byFault[i] = new AtomicLong();
        }
    }

    /** Arms the plan the query describes and zeroes the counters; the clock starts at the next counted request. */
    synchronized void arm(Fields query) {
        plan = new Plan(intParam(query, "failPercent"), intParam(query, "seed"), intParam(query, "warmupMs"),
                intParam(query, "downFromMs"), intParam(query, "downForMs"));
        startNanos.set(0);
        flaky.set(0);
        healthy.set(0);
        for (AtomicLong count : byFault) {
            count.set(0);
        }
    }

    /** The verdict for a chat request on {@code path}; counts it when it falls in the measurement window. */
    Fault next(String path) {
        boolean isFlaky = path.contains("/flaky/");
        if (!isFlaky && !path.contains("/healthy/")) {
            return Fault.NONE;
        }
        long now = System.nanoTime();
        startNanos.compareAndSet(0, now);
        Plan p = plan;
        long elapsedMs = (now - startNanos.get()) / 1_000_000 - p.warmupMs();
        if (elapsedMs < 0) {
            return Fault.NONE;
        }
        if (!isFlaky) {
            healthy.incrementAndGet();
            return Fault.NONE;
        }
        long n = flaky.getAndIncrement();
        Fault fault = Fault.NONE;
        if (elapsedMs >= p.downFromMs() && elapsedMs < p.downFromMs() + p.downForMs()) {
            fault = Fault.DOWN_503;
        } else if (p.failPercent() > 0) {
            long hash = mix(p.seed() * 0x9E3779B97F4A7C15L + n) >>> 1;
            if (hash % 100 < p.failPercent()) {
                fault = switch ((int) (hash / 100 % 3)) {
                    case 0 -> Fault.ERROR_500;
                    case 1 -> Fault.OVERLOADED_503;
                    default -> Fault.RESET;
                };
            }
        }
        byFault[fault.ordinal()].incrementAndGet();
        return fault;
    }

    /** Answers {@code fault} (not {@link Fault#NONE}) to a request whose body was read. */
    static void answer(Fault fault, Request request, Response response, Callback callback) {
        switch (fault) {
            case ERROR_500 -> Upstream.json(response, 500, SERVER_ERROR, callback);
            case OVERLOADED_503, DOWN_503 -> Upstream.json(response, 503, OVERLOADED, callback);
            case RESET -> reset(request, callback);
            case NONE -> throw new IllegalArgumentException("no fault to answer");
        }
    }

    /** Closes the connection with a TCP reset (SO_LINGER 0) before any byte of an answer. */
    private static void reset(Request request, Callback callback) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint.getTransport() instanceof SocketChannel channel) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                // closed already: a reset all the same
            }
        }
        endPoint.close();
        callback.failed(new EofException("benchmark: connection reset"));
    }

    /** The window's counters: flaky attempts, healthy (fallback) attempts, and the flaky ones' verdicts. */
    String json() {
        return "{\"flakyAttempts\":" + flaky.get() + ",\"healthyAttempts\":" + healthy.get() + ",\"ok\":"
                + count(Fault.NONE) + ",\"error500\":" + count(Fault.ERROR_500) + ",\"overloaded503\":"
                + count(Fault.OVERLOADED_503) + ",\"reset\":" + count(Fault.RESET) + ",\"down503\":"
                + count(Fault.DOWN_503) + "}";
    }

    private long count(Fault fault) {
        return byFault[fault.ordinal()].get();
    }

    /** SplitMix64's finaliser: a well-spread hash of a counter. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int intParam(Fields query, String name) {
        String value = query.getValue(name);
        return value == null ? 0 : Integer.parseInt(value);
    }
}
