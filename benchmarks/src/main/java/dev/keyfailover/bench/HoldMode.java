package dev.keyfailover.bench;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;

/**
 * Load-generator mode {@code hold}: {@code streams} slow streams opened at once (spread over {@code ramp} ms), one
 * platform thread each, and held until upstream ends them; each one's fate is counted: ok, an error status, a
 * connection failure, a cut stream, or a stall (no byte for 3 intervals).
 */
final class HoldMode {

    private HoldMode() {
    }

    static String run(LoadArgs args, Outcomes outcomes) throws Exception {
        int count = args.intArg("streams", 1000);
        int events = args.intArg("events", 20);
        int interval = args.intArg("interval", 1000);
        int ramp = args.intArg("ramp", 2000);
        String path = args.path("/v1/sse?events=" + events + "&interval=" + interval);
        String[] headers = args.authHeaders("Accept: text/event-stream");
        Histogram firstEvent = LatencyJson.histogram();
        Histogram duration = LatencyJson.histogram();
        AtomicInteger live = new AtomicInteger();
        AtomicInteger maxLive = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Pause.untilTurn(start, ramp, i, count);
            Thread t = new Thread(null, () -> {
                long t0 = System.nanoTime();
                long[] first = {-1};
                boolean counted = false;
                try (MiniHttp conn = args.connect(interval * 3 + 5_000)) {
                    conn.send("GET", path, args.authority(), null, headers);
                    conn.readHead();
                    if (conn.status != 200) {
                        conn.readBody(null);
                        outcomes.add("status-" + conn.status);
                        return;
                    }
                    // A stream is live from its first event on: that is when it surely holds the proxy's resources.
                    SseSink sink = new SseSink((delay, at) -> {
                        if (first[0] < 0) {
                            first[0] = at;
                            maxLive.accumulateAndGet(live.incrementAndGet(), Math::max);
                        }
                    });
                    try {
                        conn.readBody(sink);
                    } finally {
                        if (first[0] >= 0) {
                            live.decrementAndGet();
                            counted = true;
                        }
                    }
                    if (sink.events == events && sink.done) {
                        outcomes.add("ok");
                        synchronized (firstEvent) {
                            firstEvent.recordValue(Math.max(1, (first[0] - t0) / 1000));
                            duration.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                        }
                    } else {
                        outcomes.add(StreamFates.cutAfter(sink.events));
                    }
                } catch (SocketTimeoutException e) {
                    outcomes.add(StreamFates.stalled(first[0] >= 0));
                } catch (IOException | RuntimeException e) {
                    outcomes.add(StreamFates.failed(first[0] >= 0, e));
                } finally {
                    if (!counted && first[0] >= 0) {
                        live.decrementAndGet();
                    }
                    finished.countDown();
                }
            }, "hold-" + i, 256 * 1024);
            t.setDaemon(true);
            t.start();
        }
        finished.await();
        return "{\"maxConcurrentStreams\":" + maxLive.get() + ",\"firstEvent\":{" + LatencyJson.members(firstEvent)
                + "},\"duration\":{" + LatencyJson.members(duration) + "},\"outcomes\":" + outcomes.json() + "}";
    }
}
