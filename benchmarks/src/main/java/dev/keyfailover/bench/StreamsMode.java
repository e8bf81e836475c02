package dev.keyfailover.bench;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;

/**
 * Load-generator mode {@code streams} (scenario 7): {@code streams} SSE streams opened over {@code ramp} ms, each on a
 * virtual thread of its own (this JVM must be Java 21 or later) and a blocking connection, held to their end. Every
 * event's delay from the upstream's send time to its arrival is recorded (as in mode {@code sse}), and every stream's
 * fate (as in mode {@code hold}: ok, error status, failed, cut, stalled when nothing arrives for {@code stall} ms).
 */
final class StreamsMode {

    private StreamsMode() {
    }

    static String run(LoadArgs args, Outcomes outcomes) throws Exception {
        int count = args.intArg("streams", 10_000);
        int events = args.intArg("events", 60);
        int interval = args.intArg("interval", 100);
        int ramp = args.intArg("ramp", 4000);
        int stall = args.intArg("stall", 8000);
        String path = args.path("/v1/sse?events=" + events + "&interval=" + interval);
        String[] headers = args.authHeaders("Accept: text/event-stream");
        Histogram delays = LatencyJson.histogram();
        Histogram firstEvent = LatencyJson.histogram();
        AtomicInteger live = new AtomicInteger();
        AtomicInteger maxLive = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(count);
        // Thread.ofVirtual() through reflection: this module compiles for Java 17.
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Method unstarted = Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Pause.untilTurn(start, ramp, i, count);
            Runnable stream = () -> {
                long t0 = System.nanoTime();
                long[] first = {-1};
                try (MiniHttp conn = args.connect(stall)) {
                    conn.send("GET", path, args.authority(), null, headers);
                    conn.readHead();
                    if (conn.status != 200) {
                        conn.readBody(null);
                        outcomes.add("status-" + conn.status);
                        return;
                    }
                    SseSink sink = new SseSink((delay, at) -> {
                        if (first[0] < 0) {
                            first[0] = at;
                            maxLive.accumulateAndGet(live.incrementAndGet(), Math::max);
                        }
                        synchronized (delays) {
                            delays.recordValue(Math.max(0, delay));
                        }
                    });
                    conn.readBody(sink);
                    if (sink.events == events && sink.done) {
                        outcomes.add("ok");
                        synchronized (firstEvent) {
                            firstEvent.recordValue(Math.max(1, (first[0] - t0) / 1000));
                        }
                    } else {
                        outcomes.add(StreamFates.cutAfter(sink.events));
                    }
                } catch (SocketTimeoutException e) {
                    outcomes.add(StreamFates.stalled(first[0] >= 0));
                } catch (IOException | RuntimeException e) {
                    outcomes.add(StreamFates.failed(first[0] >= 0, e));
                } finally {
                    if (first[0] >= 0) {
                        live.decrementAndGet();
                    }
                    finished.countDown();
                }
            };
            ((Thread) unstarted.invoke(builder, stream)).start();
        }
        long rampNanos = System.nanoTime() - start;
        finished.await();
        return "{\"streams\":" + count + ",\"okStreams\":" + outcomes.count("ok") + ",\"rampMs\":"
                + rampNanos / 1_000_000 + ",\"maxConcurrentStreams\":" + maxLive.get() + ",\"delay\":{"
                + LatencyJson.members(delays) + "},\"firstEvent\":{" + LatencyJson.members(firstEvent)
                + "},\"outcomes\":" + outcomes.json() + "}";
    }
}
