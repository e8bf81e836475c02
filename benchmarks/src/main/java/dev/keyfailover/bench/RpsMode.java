package dev.keyfailover.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * Load-generator mode {@code rps}: closed-loop POSTs of a JSON body on {@code conc} keep-alive connections;
 * throughput and latency of the answers with the expected status ({@code expect}, default 200).
 */
final class RpsMode {

    private RpsMode() {
    }

    static String run(LoadArgs args, Outcomes outcomes) throws Exception {
        int conc = args.intArg("conc", 1);
        long warmupNanos = args.intArg("warmup", 2) * 1_000_000_000L;
        long durationNanos = Long.parseLong(args.arg("duration", "5")) * 1_000_000_000L;
        int think = args.intArg("think", 0);
        int expect = args.intArg("expect", 200);
        String path = args.path(args.arg("path", "/v1/chat/completions"));
        RequestBody body = RequestBody.chat(args.intArg("bytes", 1024));
        String[] headers = args.authHeaders();
        Histogram total = LatencyJson.histogram();
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + durationNanos;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < conc; i++) {
            Thread t = new Thread(() -> {
                Histogram mine = LatencyJson.histogram();
                MiniHttp conn = null;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        if (conn == null || !conn.reusable()) {
                            if (conn != null) {
                                conn.close();
                            }
                            conn = args.connect(30_000);
                        }
                        t0 = System.nanoTime();
                        conn.send("POST", path, args.authority(), body, headers);
                        conn.readHead();
                        conn.readBody(null);
                        long t1 = System.nanoTime();
                        // Only requests that start and end inside the window count, so warm-up never leaks in.
                        if (t0 >= measureFrom && t1 <= end) {
                            if (conn.status == expect) {
                                mine.recordValue(Math.max(1, (t1 - t0) / 1000));
                            }
                            outcomes.add("status-" + conn.status);
                        }
                    } catch (IOException | RuntimeException e) {
                        if (t0 >= measureFrom) {
                            outcomes.add(Outcomes.nameOf(e));
                        }
                        if (conn != null) {
                            conn.close();
                        }
                        conn = null;
                    }
                    if (think > 0) {
                        Pause.millis(think);
                    }
                }
                if (conn != null) {
                    conn.close();
                }
                synchronized (total) {
                    total.add(mine);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return result(total, durationNanos / 1e9, outcomes);
    }

    /** Requests per second of the measured window, to one decimal. */
    static String result(Histogram total, double seconds, Outcomes outcomes) {
        return "{\"rps\":" + Math.round(total.getTotalCount() / seconds * 10) / 10.0 + ","
                + LatencyJson.members(total) + ",\"outcomes\":" + outcomes.json() + "}";
    }
}
