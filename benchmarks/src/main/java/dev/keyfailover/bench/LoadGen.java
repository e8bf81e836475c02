package dev.keyfailover.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;

/**
 * The load generator: a separate JVM with a fixed number of blocking client threads (closed
 * loop), each on its own keep-alive connection, recording into HdrHistogram (microseconds).
 * Prints one line {@code RESULT {json}}.
 *
 * <p>Arguments are {@code key=value}: {@code mode} (rps, sse, mem, hold), {@code port},
 * {@code prefix} (route prefix, empty for direct), {@code auth} (a bearer key, or {@code none}), {@code header} (one
 * more request header, "Name: value": Portkey's config),
 * and per mode: {@code conc}, {@code warmup}, {@code duration} (seconds), {@code think} (ms
 * between requests of one thread), {@code bytes} (request body), {@code events}, {@code interval},
 * {@code n}, {@code mib}, {@code what} (upload or download), {@code streams}, {@code ramp} (ms).
 */
public final class LoadGen {

    private final Map<String, String> args = new HashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    public static void main(String[] argv) throws Exception {
        LoadGen gen = new LoadGen();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            gen.args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String result = switch (gen.arg("mode", null)) {
            case "rps" -> gen.rps();
            case "sse" -> gen.sse();
            case "mem" -> gen.mem();
            case "hold" -> gen.hold();
            case "streams" -> gen.streams();
            default -> throw new IllegalArgumentException("unknown mode");
        };
        System.out.println("RESULT " + result);
        System.exit(0);
    }

    private String arg(String name, String fallback) {
        String value = args.getOrDefault(name, fallback);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    private int intArg(String name, int fallback) {
        return Integer.parseInt(arg(name, String.valueOf(fallback)));
    }

    private int port() {
        return intArg("port", 0);
    }

    private String authority() {
        return "127.0.0.1:" + port();
    }

    private String[] authHeaders(String... more) {
        String auth = arg("auth", "none");
        List<String> headers = new ArrayList<>(List.of(more));
        if (args.containsKey("header")) {
            headers.add(args.get("header"));
        }
        if (!auth.equals("none")) {
            headers.add("Authorization: Bearer " + auth);
        }
        return headers.toArray(String[]::new);
    }

    private void outcome(String what) {
        outcomes.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private String outcomesJson() {
        StringBuilder json = new StringBuilder("{");
        new TreeMap<>(outcomes).forEach((k, v) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(k.replace("\"", "'").replace("\\", "/")).append("\":").append(v.sum()));
        return json.append('}').toString();
    }

    private static String histogramJson(Histogram h) {
        return "\"count\":" + h.getTotalCount() + ",\"p50us\":" + h.getValueAtPercentile(50) + ",\"p90us\":"
                + h.getValueAtPercentile(90) + ",\"p99us\":" + h.getValueAtPercentile(99) + ",\"maxus\":"
                + h.getMaxValue() + ",\"meanus\":" + Math.round(h.getMean());
    }

    /** Closed-loop POSTs of a JSON body: throughput and latency of successful (expected-status) answers. */
    private String rps() throws Exception {
        int conc = intArg("conc", 1);
        long warmupNanos = intArg("warmup", 2) * 1_000_000_000L;
        long durationNanos = Long.parseLong(arg("duration", "5")) * 1_000_000_000L;
        int think = intArg("think", 0);
        int expect = intArg("expect", 200);
        String path = arg("prefix", "") + arg("path", "/v1/chat/completions");
        MiniHttp.Body body = MiniHttp.Body.chat(intArg("bytes", 1024));
        String[] headers = authHeaders();
        Histogram total = new Histogram(3_600_000_000L, 3);
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + durationNanos;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < conc; i++) {
            Thread t = new Thread(() -> {
                Histogram mine = new Histogram(3_600_000_000L, 3);
                MiniHttp conn = null;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        if (conn == null || !conn.reusable()) {
                            if (conn != null) {
                                conn.close();
                            }
                            conn = new MiniHttp("127.0.0.1", port(), 30_000);
                        }
                        t0 = System.nanoTime();
                        conn.send("POST", path, authority(), body, headers);
                        conn.readHead();
                        conn.readBody(null);
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom && t1 <= end) {
                            if (conn.status == expect) {
                                mine.recordValue(Math.max(1, (t1 - t0) / 1000));
                            }
                            outcome("status-" + conn.status);
                        }
                    } catch (IOException | RuntimeException e) {
                        if (t0 >= measureFrom) {
                            outcome(MiniHttp.nameOf(e));
                        }
                        if (conn != null) {
                            conn.close();
                        }
                        conn = null;
                    }
                    if (think > 0) {
                        sleep(think);
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
        double seconds = durationNanos / 1e9;
        return "{\"rps\":" + Math.round(total.getTotalCount() / seconds * 10) / 10.0 + "," + histogramJson(total)
                + ",\"outcomes\":" + outcomesJson() + "}";
    }

    /** Streams opened back to back on {@code conc} connections; one-way delay of every event. */
    private String sse() throws Exception {
        int conc = intArg("conc", 8);
        long warmupNanos = intArg("warmup", 2) * 1_000_000_000L;
        long durationNanos = Long.parseLong(arg("duration", "5")) * 1_000_000_000L;
        int events = intArg("events", 50);
        int interval = intArg("interval", 10);
        String path = arg("prefix", "") + "/v1/sse?events=" + events + "&interval=" + interval;
        String[] headers = authHeaders("Accept: text/event-stream");
        Histogram delays = new Histogram(3_600_000_000L, 3);
        AtomicLong streams = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + durationNanos;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < conc; i++) {
            Thread t = new Thread(() -> {
                Histogram mine = new Histogram(3_600_000_000L, 3);
                MiniHttp conn = null;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    boolean measured = t0 >= measureFrom;
                    Histogram stream = new Histogram(3_600_000_000L, 3);
                    try {
                        if (conn == null || !conn.reusable()) {
                            if (conn != null) {
                                conn.close();
                            }
                            conn = new MiniHttp("127.0.0.1", port(), 30_000);
                        }
                        conn.send("GET", path, authority(), null, headers);
                        conn.readHead();
                        MiniHttp.SseSink sink = new MiniHttp.SseSink(
                                (delay, at) -> stream.recordValue(Math.max(0, delay)));
                        conn.readBody(sink);
                        if (measured) {
                            if (conn.status != 200) {
                                outcome("status-" + conn.status);
                            } else if (sink.events != events || !sink.done) {
                                outcome("incomplete-stream");
                            } else {
                                outcome("ok");
                                mine.add(stream);
                                streams.incrementAndGet();
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        if (measured) {
                            outcome(MiniHttp.nameOf(e));
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
        return "{\"streams\":" + streams.get() + "," + histogramJson(delays) + ",\"outcomes\":" + outcomesJson() + "}";
    }

    /** Sequential large transfers: a {@code mib} MiB upload (POST) or download, {@code n} times. */
    private String mem() throws Exception {
        int n = intArg("n", 3);
        long bytes = intArg("mib", 20) * 1024L * 1024L;
        boolean upload = arg("what", "upload").equals("upload");
        String prefix = arg("prefix", "");
        Histogram times = new Histogram(3_600_000_000L, 3);
        long transferred = 0;
        for (int i = 0; i < n; i++) {
            try (MiniHttp conn = new MiniHttp("127.0.0.1", port(), 60_000)) {
                long t0 = System.nanoTime();
                if (upload) {
                    conn.send("POST", prefix + "/v1/chat/completions", authority(), MiniHttp.Body.chat(bytes),
                            authHeaders());
                } else {
                    conn.send("GET", prefix + "/v1/big?mib=" + (bytes >> 20), authority(), null, authHeaders());
                }
                conn.readHead();
                long got = conn.readBody(null);
                long t1 = System.nanoTime();
                if (conn.status == 200 && (upload || got == bytes)) {
                    outcome("ok");
                    times.recordValue(Math.max(1, (t1 - t0) / 1000));
                    transferred += upload ? bytes : got;
                } else {
                    outcome(conn.status != 200 ? "status-" + conn.status : "short-body");
                }
            } catch (IOException | RuntimeException e) {
                outcome(MiniHttp.nameOf(e));
            }
            sleep(5);
        }
        return "{\"transferredBytes\":" + transferred + "," + histogramJson(times) + ",\"outcomes\":"
                + outcomesJson() + "}";
    }

    /**
     * {@code streams} slow streams opened at once (spread over {@code ramp} ms) and held until
     * upstream ends them; each one's fate is counted: ok, an error status, a connection failure,
     * a cut stream, or a stall (no byte for 3 intervals).
     */
    private String hold() throws Exception {
        int count = intArg("streams", 1000);
        int events = intArg("events", 20);
        int interval = intArg("interval", 1000);
        int ramp = intArg("ramp", 2000);
        String path = arg("prefix", "") + "/v1/sse?events=" + events + "&interval=" + interval;
        String[] headers = authHeaders("Accept: text/event-stream");
        Histogram firstEvent = new Histogram(3_600_000_000L, 3);
        Histogram duration = new Histogram(3_600_000_000L, 3);
        AtomicInteger live = new AtomicInteger();
        AtomicInteger maxLive = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) ramp * 1_000_000L * i / count;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sleepNanos(wait);
            }
            Thread t = new Thread(null, () -> {
                long t0 = System.nanoTime();
                long[] first = {-1};
                boolean counted = false;
                try (MiniHttp conn = new MiniHttp("127.0.0.1", port(), interval * 3 + 5_000)) {
                    conn.send("GET", path, authority(), null, headers);
                    conn.readHead();
                    if (conn.status != 200) {
                        conn.readBody(null);
                        outcome("status-" + conn.status);
                        return;
                    }
                    MiniHttp.SseSink sink = new MiniHttp.SseSink((delay, at) -> {
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
                        outcome("ok");
                        synchronized (firstEvent) {
                            firstEvent.recordValue(Math.max(1, (first[0] - t0) / 1000));
                            duration.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                        }
                    } else {
                        outcome("cut-after-" + bucket(sink.events) + "-events");
                    }
                } catch (java.net.SocketTimeoutException e) {
                    outcome(first[0] < 0 ? "stalled-before-first-event" : "stalled-mid-stream");
                } catch (IOException | RuntimeException e) {
                    outcome((first[0] < 0 ? "failed-before-first-event: " : "failed-mid-stream: ")
                            + MiniHttp.nameOf(e));
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
        return "{\"maxConcurrentStreams\":" + maxLive.get() + ",\"firstEvent\":{" + histogramJson(firstEvent)
                + "},\"duration\":{" + histogramJson(duration) + "},\"outcomes\":" + outcomesJson() + "}";
    }

    /**
     * Scenario 7: {@code streams} SSE streams opened over {@code ramp} ms, each on a virtual thread
     * of its own (this JVM must be Java 21 or later) and a blocking connection, held to their end.
     * Every event's delay from the upstream's send time to its arrival is recorded (as in mode
     * sse), and every stream's fate (as in mode hold: ok, error status, failed, cut, stalled when
     * nothing arrives for {@code stall} ms).
     */
    private String streams() throws Exception {
        int count = intArg("streams", 10_000);
        int events = intArg("events", 60);
        int interval = intArg("interval", 100);
        int ramp = intArg("ramp", 4000);
        int stall = intArg("stall", 8000);
        String path = arg("prefix", "") + "/v1/sse?events=" + events + "&interval=" + interval;
        String[] headers = authHeaders("Accept: text/event-stream");
        Histogram delays = new Histogram(3_600_000_000L, 3);
        Histogram firstEvent = new Histogram(3_600_000_000L, 3);
        AtomicInteger live = new AtomicInteger();
        AtomicInteger maxLive = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(count);
        // Thread.ofVirtual() through reflection: this module compiles for Java 17.
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        java.lang.reflect.Method unstarted = Class.forName("java.lang.Thread$Builder")
                .getMethod("unstarted", Runnable.class);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) ramp * 1_000_000L * i / count;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sleepNanos(wait);
            }
            Runnable stream = () -> {
                long t0 = System.nanoTime();
                long[] first = {-1};
                try (MiniHttp conn = new MiniHttp("127.0.0.1", port(), stall)) {
                    conn.send("GET", path, authority(), null, headers);
                    conn.readHead();
                    if (conn.status != 200) {
                        conn.readBody(null);
                        outcome("status-" + conn.status);
                        return;
                    }
                    MiniHttp.SseSink sink = new MiniHttp.SseSink((delay, at) -> {
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
                        outcome("ok");
                        synchronized (firstEvent) {
                            firstEvent.recordValue(Math.max(1, (first[0] - t0) / 1000));
                        }
                    } else {
                        outcome("cut-after-" + bucket(sink.events) + "-events");
                    }
                } catch (java.net.SocketTimeoutException e) {
                    outcome(first[0] < 0 ? "stalled-before-first-event" : "stalled-mid-stream");
                } catch (IOException | RuntimeException e) {
                    outcome((first[0] < 0 ? "failed-before-first-event: " : "failed-mid-stream: ")
                            + MiniHttp.nameOf(e));
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
        long ok = outcomes.containsKey("ok") ? outcomes.get("ok").sum() : 0;
        return "{\"streams\":" + count + ",\"okStreams\":" + ok + ",\"rampMs\":" + rampNanos / 1_000_000
                + ",\"maxConcurrentStreams\":" + maxLive.get() + ",\"delay\":{" + histogramJson(delays)
                + "},\"firstEvent\":{" + histogramJson(firstEvent) + "},\"outcomes\":" + outcomesJson() + "}";
    }

    private static String bucket(int events) {
        return events == 0 ? "0" : events < 5 ? "1-4" : "5+";
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
