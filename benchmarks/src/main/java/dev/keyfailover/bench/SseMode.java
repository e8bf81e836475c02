package dev.keyfailover.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * Load-generator mode {@code sse}: streams of {@code events} events {@code interval} ms apart, opened back to back on
 * {@code conc} connections; the one-way delay of every event of the complete streams in the measured window.
 */
final class SseMode {

    private SseMode() {
    }

    static String run(LoadArgs args, Outcomes outcomes) throws Exception {
        int conc = args.intArg("conc", 8);
        long warmupNanos = args.intArg("warmup", 2) * 1_000_000_000L;
        long durationNanos = Long.parseLong(args.arg("duration", "5")) * 1_000_000_000L;
        int events = args.intArg("events", 50);
        int interval = args.intArg("interval", 10);
        String path = args.path("/v1/sse?events=" + events + "&interval=" + interval);
        String[] headers = args.authHeaders("Accept: text/event-stream");
        Histogram delays = LatencyJson.histogram();
        AtomicLong streams = new AtomicLong();
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
                    boolean measured = t0 >= measureFrom;
                    // A stream's delays count only if it completes, so they go to a histogram of its own first.
                    Histogram stream = LatencyJson.histogram();
                    try {
                        if (conn == null || !conn.reusable()) {
                            if (conn != null) {
                                conn.close();
                            }
                            conn = args.connect(30_000);
                        }
                        conn.send("GET", path, args.authority(), null, headers);
                        conn.readHead();
                        SseSink sink = new SseSink((delay, at) -> stream.recordValue(Math.max(0, delay)));
                        conn.readBody(sink);
                        if (measured) {
                            if (conn.status != 200) {
                                outcomes.add("status-" + conn.status);
                            } else if (sink.events != events || !sink.done) {
                                outcomes.add("incomplete-stream");
                            } else {
                                outcomes.add("ok");
                                mine.add(stream);
                                streams.incrementAndGet();
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        if (measured) {
                            outcomes.add(Outcomes.nameOf(e));
                        }
                        if (conn != null) {
                            conn.close();
                        }
                        conn = null;
                    }
                }
                if (conn != null) {
                    conn.close();
                }
                synchronized (delays) {
                    delays.add(mine);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return "{\"streams\":" + streams.get() + "," + LatencyJson.members(delays) + ",\"outcomes\":" + outcomes.json()
                + ",\"" + LatencyJson.HISTOGRAM + "\":\"" + LatencyJson.encoded(delays) + "\"}";
    }
}
