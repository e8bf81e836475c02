package dev.keyfailover.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An embedded Jetty 12 server on {@code 127.0.0.1} and a random port that plays an LLM provider:
 * it answers each request by the API key it carries, with a behaviour scripted per key, and
 * records every request it receives.
 *
 * <pre>{@code
 * try (FakeUpstream upstream = FakeUpstream.start()) {
 *     upstream.on("sk-bad", FakeUpstream.status(401))
 *             .on("sk-good", FakeUpstream.ok("{\"id\":1}"));
 *     ... send requests to upstream.baseUri() ...
 *     assertThat(upstream.keysSeen()).containsExactly("sk-bad", "sk-good");
 * }
 * }</pre>
 *
 * <p>The key of a request is read from {@code Authorization: Bearer <key>} (or a bare
 * {@code Authorization} value), else {@code X-Api-Key}, else any header added with
 * {@link #keyHeader(String)}. A request whose key has no behaviour gets the
 * {@link #otherwise(Behaviour) default} (401 unless changed). Thread-safe.
 */
public final class FakeUpstream implements AutoCloseable {

    /** The longest a stalled request or a gated stream waits before giving up by itself. */
    private static final long SAFETY_TIMEOUT_SECONDS = 30;

    private final Server server;
    private final ServerConnector connector;
    private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    /** Per key, then per model: what {@link #on(String, String, Behaviour)} scripted. */
    private final Map<String, Map<String, Behaviour>> modelBehaviours = new ConcurrentHashMap<>();
    private final List<String> keyHeaders = new CopyOnWriteArrayList<>(List.of("Authorization", "X-Api-Key"));
    private final Set<Stall> stalls = ConcurrentHashMap.newKeySet();
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private volatile Behaviour fallback = status(401);

    private FakeUpstream() {
        QueuedThreadPool threads = new QueuedThreadPool(256, 4);
        threads.setName("fake-upstream");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return FakeUpstream.this.handle(request, response, callback);
            }
        });
        server.setStopTimeout(0);
    }

    /** Starts a fake upstream on a free port of 127.0.0.1. */
    public static FakeUpstream start() {
        FakeUpstream upstream = new FakeUpstream();
        try {
            upstream.server.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the fake upstream", e);
        }
        return upstream;
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    /** Scripts the answer to requests carrying {@code key}; replaces an earlier script for it. */
    public FakeUpstream on(String key, Behaviour behaviour) {
        behaviours.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(behaviour, "behaviour"));
        return this;
    }

    /**
     * Scripts the answer to requests carrying {@code key} for {@code model} (see
     * {@link RecordedRequest#model()}); wins over {@link #on(String, Behaviour)} for that model, which
     * still answers the key's other models.
     */
    public FakeUpstream on(String key, String model, Behaviour behaviour) {
        modelBehaviours.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> new ConcurrentHashMap<>())
                .put(Objects.requireNonNull(model, "model"), Objects.requireNonNull(behaviour, "behaviour"));
        return this;
    }

    /** The answer to requests without a key or with an unscripted one (initially a plain 401). */
    public FakeUpstream otherwise(Behaviour behaviour) {
        this.fallback = Objects.requireNonNull(behaviour, "behaviour");
        return this;
    }

    /** Also reads the key from this header (e.g. {@code api-key}), after the built-in ones. */
    public FakeUpstream keyHeader(String name) {
        keyHeaders.add(name);
        return this;
    }

    /** Every request received so far, in arrival order (a snapshot). */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The key of every request received so far, in arrival order ({@code null} for none). */
    public List<String> keysSeen() {
        List<String> keys = new ArrayList<>();
        for (RecordedRequest request : requests) {
            keys.add(request.key());
        }
        return keys;
    }

    /** {@code "<key> <model>"} of every request received so far, in arrival order ({@code null} for none). */
    public List<String> keysAndModelsSeen() {
        List<String> seen = new ArrayList<>();
        for (RecordedRequest request : requests) {
            seen.add(request.key() + " " + request.model());
        }
        return seen;
    }

    /** Forgets the recorded requests (scripts stay). */
    public void clearRequests() {
        requests.clear();
    }

    /**
     * Stops the server: stalled requests and gated streams let go (their writes fail at once, their
     * connections being closed first), never hanging the build ({@link JettyStop}).
     */
    @Override
    public void close() {
        JettyStop.closeConnections(connector);
        for (Stall stall : stalls) {
            stall.release();
        }
        for (SseStream stream : streams) {
            stream.releaseAll();
        }
        try {
            JettyStop.stopWithin(server, connector);
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the fake upstream", e);
        }
    }

    // ---------------------------------------------------------------- behaviours

    /** A scripted answer to one request: a {@link Reply}, a {@link Stall} or an {@link SseStream}. */
    public sealed interface Behaviour permits Reply, Stall, SseStream, PacedStream, Flood, Dynamic {
    }

    /** 200 with a JSON body. */
    public static Reply ok(String json) {
        return json(200, json);
    }

    /** The status with a small JSON error body in the OpenAI shape. */
    public static Reply status(int status) {
        return json(status, "{\"error\":{\"message\":\"fake upstream says " + status + "\",\"type\":\"fake\"}}");
    }

    /** The status with the given JSON body. */
    public static Reply json(int status, String json) {
        return new Reply(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    /** 429 with {@code Retry-After: <value>} (delta-seconds or an HTTP-date, sent as given). */
    public static Reply rateLimited(String retryAfter) {
        return status(429).withHeader("Retry-After", retryAfter);
    }

    /**
     * The answer with more headers, e.g. the provider's rate-limit headers:
     * {@code withHeaders(ok("{}"), "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "2s")}.
     */
    public static Reply withHeaders(Reply reply, String... namesAndValues) {
        Reply result = reply;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            result = result.withHeader(namesAndValues[i], namesAndValues[i + 1]);
        }
        return result;
    }

    /** 429 with {@code retry-after-ms: <millis>}. */
    public static Reply rateLimitedMillis(long millis) {
        return status(429).withHeader("retry-after-ms", Long.toString(millis));
    }

    /** An {@code text/event-stream} answer that pauses {@code pause} before each event (a deliberately slow upstream). */
    public static PacedStream paced(java.time.Duration pause, String... events) {
        return new PacedStream(pause, List.of(events));
    }

    /** A 200 {@code text/event-stream} of {@code totalBytes} filler bytes, written as fast as the reader takes them. */
    public static Flood flood(long totalBytes) {
        return new Flood(totalBytes);
    }

    /** An answer computed from the request as it arrives (called on the server thread, must be thread-safe). */
    public static Dynamic dynamic(Function<RecordedRequest, Reply> answer) {
        return new Dynamic(answer);
    }

    /** Holds the request unanswered until {@link Stall#release()} or {@link #close()}; then 200 {@code {}}. */
    public static Stall stall() {
        return new Stall(ok("{}"));
    }

    /** A {@code text/event-stream} answer; each event waits for one {@link SseStream#release(int)} permit. */
    public static SseStream sse(String... events) {
        return new SseStream(List.of(events));
    }

    /**
     * A complete answer.
     *
     * @param headers response headers, sent as given (order kept)
     */
    public record Reply(int status, Map<String, String> headers, byte[] body) implements Behaviour {

        public Reply {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** The same answer with one more header. */
        public Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, more, body);
        }

        /** The same answer with another body (raw bytes; Content-Type kept). */
        public Reply withBody(byte[] value) {
            return new Reply(status, headers, value);
        }
    }

    /** A request held without an answer. One {@code Stall} may hold any number of requests. */
    public static final class Stall implements Behaviour {
        private final Reply reply;
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger held = new AtomicInteger();

        private Stall(Reply reply) {
            this.reply = reply;
        }

        /** How many requests arrived at this stall so far. */
        public int held() {
            return held.get();
        }

        /** Lets held (and later) requests go on with the 200. */
        public void release() {
            released.countDown();
        }
    }

    /**
     * A server-sent-events answer: headers go out at once, then every event is written and flushed
     * on its own, each only after a permit from {@link #release(int)}; the stream ends after the
     * last event. Serves one request.
     */
    public static final class SseStream implements Behaviour {
        private final List<String> events;
        private final Semaphore gate = new Semaphore(0);
        private final AtomicInteger sent = new AtomicInteger();
        private final CountDownLatch finished = new CountDownLatch(1);

        private SseStream(List<String> events) {
            this.events = List.copyOf(events);
        }

        /** Lets the next {@code count} events go out. */
        public SseStream release(int count) {
            gate.release(count);
            return this;
        }

        /** Lets every remaining event go out. */
        public SseStream releaseAll() {
            gate.release(events.size() + 1);
            return this;
        }

        /** How many events were written and flushed so far. */
        public int sent() {
            return sent.get();
        }

        /** Whether the stream was ended (all events sent, or the client went away). */
        public boolean finished() {
            return finished.getCount() == 0;
        }
    }

    /** See {@link #paced}. */
    public record PacedStream(java.time.Duration pause, List<String> events) implements Behaviour {
    }

    /** See {@link #flood}: counts what it wrote, so a test sees how far back-pressure let it go. */
    public static final class Flood implements Behaviour {
        private final long totalBytes;
        private final AtomicLong written = new AtomicLong();
        private final CountDownLatch finished = new CountDownLatch(1);
        private volatile boolean failed;

        private Flood(long totalBytes) {
            this.totalBytes = totalBytes;
        }

        /** Bytes whose write has completed so far. */
        public long written() {
            return written.get();
        }

        /** Whether the stream ended, completely or because the reader went away. */
        public boolean finished() {
            return finished.getCount() == 0;
        }

        /** Whether it ended because writing failed (the reader went away). */
        public boolean failed() {
            return failed;
        }
    }

    /** See {@link #dynamic}. */
    public record Dynamic(Function<RecordedRequest, Reply> answer) implements Behaviour {
    }

    /**
     * One request as received.
     *
     * @param headers every header field, in order (a name may repeat)
     * @param key the API key found in the request, {@code null} when none
     */
    public record RecordedRequest(String method, String path, String query, List<Map.Entry<String, String>> headers,
                                  byte[] body, String key) {

        /** The first value of a header (case-insensitive), {@code null} when absent. */
        public String header(String name) {
            for (Map.Entry<String, String> header : headers) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
            return null;
        }

        /** Every value of a header (case-insensitive). */
        public List<String> headerValues(String name) {
            List<String> values = new ArrayList<>();
            for (Map.Entry<String, String> header : headers) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    values.add(header.getValue());
                }
            }
            return values;
        }

        /**
         * The model the request is for, as the fake provider reads it: the top-level {@code "model"}
         * string of a JSON body, else the path segment after {@code /deployments/} or
         * {@code /models/} (up to a {@code :action}); {@code null} when none. A full parse, on
         * purpose independent of the proxy's own quick scan.
         */
        public String model() {
            String fromBody = topLevelModel(body);
            if (fromBody != null) {
                return fromBody;
            }
            for (String marker : List.of("/deployments/", "/models/")) {
                int at = path.indexOf(marker);
                if (at >= 0) {
                    String rest = path.substring(at + marker.length());
                    int end = rest.indexOf('/');
                    String segment = end < 0 ? rest : rest.substring(0, end);
                    int action = segment.indexOf(':');
                    segment = action < 0 ? segment : segment.substring(0, action);
                    return segment.isEmpty() ? null : segment;
                }
            }
            return null;
        }

        private static String topLevelModel(byte[] body) {
            if (body.length == 0) {
                return null;
            }
            try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.ByteArrayInputStream(body))) {
                jakarta.json.JsonValue value = reader.readValue();
                if (value instanceof jakarta.json.JsonObject object
                        && object.get("model") instanceof jakarta.json.JsonString model) {
                    return model.getString();
                }
                return null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return method + " " + path + (query == null ? "" : "?" + query) + " key=" + key + " headers=" + headers
                    + " body=" + body.length + " bytes";
        }
    }

    // ---------------------------------------------------------------- serving

    private boolean handle(Request request, Response response, Callback callback) throws IOException {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readAllBytes();
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            headers.add(Map.entry(field.getName(), field.getValue()));
        }
        String key = keyOf(request);
        RecordedRequest recorded = new RecordedRequest(request.getMethod(), request.getHttpURI().getPath(),
                request.getHttpURI().getQuery(), List.copyOf(headers), body, key);
        requests.add(recorded);

        Behaviour behaviour = key == null ? fallback : behaviours.getOrDefault(key, fallback);
        Map<String, Behaviour> byModel = key == null ? null : modelBehaviours.get(key);
        if (byModel != null) {
            String model = recorded.model();
            if (model != null && byModel.containsKey(model)) {
                behaviour = byModel.get(model);
            }
        }
        if (behaviour instanceof Reply reply) {
            reply(reply, response, callback);
        } else if (behaviour instanceof Stall stall) {
            stall(stall, response, callback);
        } else if (behaviour instanceof Dynamic dynamic) {
            reply(dynamic.answer().apply(recorded), response, callback);
        } else if (behaviour instanceof PacedStream paced) {
            paced(paced, response, callback);
        } else if (behaviour instanceof Flood flood) {
            flood(flood, response, callback);
        } else {
            stream((SseStream) behaviour, response, callback);
        }
        return true;
    }

    private String keyOf(Request request) {
        for (String name : keyHeaders) {
            String value = request.getHeaders().get(name);
            if (value == null || value.isBlank()) {
                continue;
            }
            value = value.trim();
            if (value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
                value = value.substring("bearer ".length()).trim();
            }
            return value;
        }
        return null;
    }

    private static void reply(Reply reply, Response response, Callback callback) {
        response.setStatus(reply.status());
        reply.headers().forEach((name, value) -> response.getHeaders().add(name, value));
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    private void stall(Stall stall, Response response, Callback callback) {
        stall.held.incrementAndGet();
        stalls.add(stall);
        // Hold this server thread only; the client decides when to give up.
        try {
            if (!stall.released.await(SAFETY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                callback.failed(new IOException("stall never released"));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
            return;
        }
        reply(stall.reply, response, callback);
    }

    private static void paced(PacedStream paced, Response response, Callback callback) {
        try {
            startEventStream(response);
            for (String event : paced.events()) {
                Thread.sleep(paced.pause().toMillis());
                Content.Sink.write(response, false, ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8)));
            }
            Content.Sink.write(response, true, BufferUtil.EMPTY_BUFFER);
            callback.succeeded();
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            callback.failed(e);
        }
    }

    private static void flood(Flood flood, Response response, Callback callback) {
        byte[] filler = ("data: " + "x".repeat(16 * 1024 - 8) + "\n\n").getBytes(StandardCharsets.US_ASCII);
        try {
            startEventStream(response);
            while (flood.written.get() < flood.totalBytes) {
                int n = (int) Math.min(filler.length, flood.totalBytes - flood.written.get());
                Content.Sink.write(response, false, ByteBuffer.wrap(filler, 0, n));
                flood.written.addAndGet(n);
            }
            Content.Sink.write(response, true, BufferUtil.EMPTY_BUFFER);
            callback.succeeded();
        } catch (IOException e) {
            flood.failed = true;
            callback.failed(e);
        } finally {
            flood.finished.countDown();
        }
    }

    private static void startEventStream(Response response) throws IOException {
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "text/event-stream");
        response.getHeaders().put("Cache-Control", "no-cache");
        Content.Sink.write(response, false, BufferUtil.EMPTY_BUFFER);
    }

    private void stream(SseStream stream, Response response, Callback callback) {
        streams.add(stream);
        try {
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "text/event-stream");
            response.getHeaders().put("Cache-Control", "no-cache");
            // Commit and send the headers now, so the client sees the response before any event.
            Content.Sink.write(response, false, BufferUtil.EMPTY_BUFFER);
            for (String event : stream.events) {
                if (!stream.gate.tryAcquire(SAFETY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("event never released");
                }
                Content.Sink.write(response, false, ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8)));
                stream.sent.incrementAndGet();
            }
            Content.Sink.write(response, true, BufferUtil.EMPTY_BUFFER);
            callback.succeeded();
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            callback.failed(e);
        } finally {
            stream.finished.countDown();
        }
    }
}
