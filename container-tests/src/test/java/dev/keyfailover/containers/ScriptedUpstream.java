package dev.keyfailover.containers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake OpenAI and Anthropic API on {@code 127.0.0.1} (the JDK's own HTTP server, so the test
 * classpath holds nothing a container would not), answering by the key a request carries, like
 * the example's demo upstream: a key containing {@code ratelimited} gets 429 with
 * {@code Retry-After: 30}, one containing {@code revoked} gets 401, any other key is served.
 * A request with the header {@code x-kf-test-spent: yes} is refused for every key (429 with
 * {@code Retry-After: 1} on the OpenAI paths, 401 on the Anthropic ones), so that a test can
 * exhaust a pool. Streamed Anthropic messages ({@code "stream":true}) send their first event at
 * once and each further one only after {@link #releaseEvents(int)}. Streamed chat completions send
 * their first chunk at once and the others on a schedule (see {@link #holdChatStreams}), written by
 * two pacing threads for all streams: an open stream holds no thread here.
 *
 * <p>Paths: {@code /openai/v1/chat/completions}, {@code /openai/v1/models},
 * {@code /anthropic/v1/messages}. Every request is recorded with its key and its
 * {@code x-kf-test-id} header.
 */
final class ScriptedUpstream implements AutoCloseable {

    static final String TEST_ID_HEADER = "x-kf-test-id";
    static final String SPENT_HEADER = "x-kf-test-spent";
    private static final long GATE_TIMEOUT_SECONDS = 30;
    /** Connections waiting to be accepted: the proxy opens up to 2,000 at once (the kernel caps it at somaxconn). */
    private static final int BACKLOG = 2048;
    private static final Pattern USER = Pattern.compile("\"user\"\\s*:\\s*\"([^\"]*)\"");

    /** One request as received. */
    record Recorded(String method, String path, String key, String testId, String body) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "scripted-upstream");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Semaphore eventGate = new Semaphore(0);
    private final AtomicInteger eventsSent = new AtomicInteger();

    private final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "scripted-upstream-pacer");
        thread.setDaemon(true);
        return thread;
    });
    private volatile int chatEvents = 3;
    private volatile Duration chatInterval = Duration.ZERO;
    private volatile CompletableFuture<Void> chatRelease = CompletableFuture.completedFuture(null);
    private final Object chatStreamsChanged = new Object();
    private final AtomicInteger openChatStreams = new AtomicInteger();
    private final AtomicInteger peakChatStreams = new AtomicInteger();
    private final AtomicInteger brokenChatStreams = new AtomicInteger();

    private ScriptedUpstream(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), BACKLOG);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on the given port of 127.0.0.1 (0: any free one). */
    static ScriptedUpstream start(int port) throws IOException {
        return new ScriptedUpstream(port);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The requests that carried this test id, in arrival order. */
    List<Recorded> requestsOf(String testId) {
        List<Recorded> found = new ArrayList<>();
        for (Recorded request : requests) {
            if (testId.equals(request.testId())) {
                found.add(request);
            }
        }
        return found;
    }

    /** Lets {@code count} more events of streamed answers go out. */
    void releaseEvents(int count) {
        eventGate.release(count);
    }

    /** Events let out so far (being written, or written and flushed), by all streamed answers. */
    int eventsSent() {
        return eventsSent.get();
    }

    /**
     * From now on, a streamed chat completion sends its first chunk at once and holds the others
     * until {@link #releaseChatStreams()}; then {@code events - 1} more chunks {@code interval} apart,
     * then {@code data: [DONE]}, and ends. Each chunk's id is {@code chatcmpl-} and the request's
     * {@code user} field, its content the chunk's number (0, 1, …).
     */
    void holdChatStreams(int events, Duration interval) {
        chatEvents = events;
        chatInterval = interval;
        chatRelease = new CompletableFuture<>();
    }

    /** Lets every held chat stream, and every later one, go on. */
    void releaseChatStreams() {
        chatRelease.complete(null);
    }

    /** Waits until {@code count} chat streams are open at once; {@code false} if they were not in time. */
    boolean awaitOpenChatStreams(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (chatStreamsChanged) {
            while (openChatStreams.get() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(chatStreamsChanged, left);
            }
            return true;
        }
    }

    /** Chat streams open now: first chunk sent, {@code [DONE]} not yet. */
    int openChatStreams() {
        return openChatStreams.get();
    }

    /** The most chat streams that were ever open at once. */
    int peakChatStreams() {
        return peakChatStreams.get();
    }

    /** Chat streams that could not be written to the end (the proxy's connection broke). */
    int brokenChatStreams() {
        return brokenChatStreams.get();
    }

    @Override
    public void close() {
        eventGate.release(1000);
        server.stop(0);
        threads.shutdownNow();
        pacer.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        // A paced chat stream is answered on after this returns: the pacer closes it.
        boolean answered = true;
        try {
            String path = exchange.getRequestURI().getPath();
            boolean anthropic = path.startsWith("/anthropic/");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String key = anthropic ? exchange.getRequestHeaders().getFirst("x-api-key")
                    : bearer(exchange.getRequestHeaders().getFirst("authorization"));
            requests.add(new Recorded(exchange.getRequestMethod(), path, key,
                    exchange.getRequestHeaders().getFirst(TEST_ID_HEADER), body));

            String lower = key == null ? "" : key.toLowerCase(Locale.ROOT);
            boolean spent = "yes".equals(exchange.getRequestHeaders().getFirst(SPENT_HEADER));
            if (key == null || lower.contains("revoked") || spent && anthropic) {
                error(exchange, anthropic, 401, "authentication_error", "invalid x-api-key");
            } else if (lower.contains("ratelimited") || spent) {
                exchange.getResponseHeaders().set("Retry-After", lower.contains("ratelimited") ? "30" : "1");
                error(exchange, anthropic, 429, "rate_limit_error", "rate limit reached");
            } else if (path.equals("/openai/v1/models")) {
                json(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"fake-model\",\"object\":\"model\","
                        + "\"owned_by\":\"fake\"}]}");
            } else if (path.equals("/openai/v1/chat/completions") && !streamed(body)) {
                json(exchange, 200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
                        + "\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"served with key " + hint(key) + "\"},\"finish_reason\":\"stop\"}]}");
            } else if (path.equals("/openai/v1/chat/completions")) {
                startChatStream(exchange, body);
                answered = false;
            } else if (path.equals("/anthropic/v1/messages") && streamed(body)) {
                stream(exchange, List.of(
                        sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":"
                                + "\"message\",\"role\":\"assistant\",\"model\":\"fake\",\"content\":[]}}"),
                        sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                        sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"served with key " + hint(key) + "\"}}"),
                        sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                        sse("message_stop", "{\"type\":\"message_stop\"}")));
            } else if (path.equals("/anthropic/v1/messages")) {
                json(exchange, 200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":"
                        + "[{\"type\":\"text\",\"text\":\"served with key " + hint(key) + "\"}]}");
            } else {
                error(exchange, anthropic, 404, "not_found_error", "no such endpoint");
            }
        } finally {
            if (answered) {
                exchange.close();
            }
        }
    }

    private void stream(HttpExchange exchange, List<String> events) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < events.size(); i++) {
            try {
                if (i > 0 && !eventGate.tryAcquire(GATE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("event " + i + " never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            // Counted before it goes out, so that a client holding it finds it counted.
            eventsSent.incrementAndGet();
            out.write(events.get(i).getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** Sends the first chunk; the pacer sends the rest once the streams are released. */
    private void startChatStream(HttpExchange exchange, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        Matcher user = USER.matcher(body);
        ChatStream stream = new ChatStream(exchange, "chatcmpl-" + (user.find() ? user.group(1) : "1"), chatEvents,
                chatInterval);
        stream.sendChunk();
        chatStreamOpened();
        chatRelease.thenRun(stream::scheduleNext);
    }

    /** One paced chat stream: written by the pacer, one chunk per turn, never by two threads at once. */
    private final class ChatStream {
        private final HttpExchange exchange;
        private final OutputStream out;
        private final String id;
        private final int events;
        private final Duration interval;
        private int sent;

        ChatStream(HttpExchange exchange, String id, int events, Duration interval) {
            this.exchange = exchange;
            this.out = exchange.getResponseBody();
            this.id = id;
            this.events = events;
            this.interval = interval;
        }

        void scheduleNext() {
            pacer.schedule(this::next, interval.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void next() {
            try {
                if (sent < events) {
                    sendChunk();
                    scheduleNext();
                    return;
                }
                write("data: [DONE]\n\n");
                exchange.close();
                chatStreamClosed(false);
            } catch (IOException | RuntimeException e) {
                exchange.close();
                chatStreamClosed(true);
            }
        }

        void sendChunk() throws IOException {
            write("data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + sent
                    + "\"},\"finish_reason\":" + (sent == events - 1 ? "\"stop\"" : "null") + "}]}\n\n");
            sent++;
        }

        private void write(String event) throws IOException {
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void chatStreamOpened() {
        int open = openChatStreams.incrementAndGet();
        peakChatStreams.accumulateAndGet(open, Math::max);
        synchronized (chatStreamsChanged) {
            chatStreamsChanged.notifyAll();
        }
    }

    private void chatStreamClosed(boolean broken) {
        if (broken) {
            brokenChatStreams.incrementAndGet();
        }
        openChatStreams.decrementAndGet();
    }

    private static String sse(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    private static boolean streamed(String body) {
        return body.replace(" ", "").contains("\"stream\":true");
    }

    private static void error(HttpExchange exchange, boolean anthropic, int status, String type, String message)
            throws IOException {
        json(exchange, status, anthropic
                ? "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}"
                : "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"code\":null}}");
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /** The last four characters: enough to tell keys apart in an answer, never the key. */
    static String hint(String key) {
        return "…" + key.substring(key.length() - 4);
    }
}
