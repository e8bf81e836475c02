package dev.keyfailover.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The fake upstream's event streams ({@code .../sse?events=N&interval=MS[&pad=P]}): N chat-completion chunks, each
 * carrying its send time in epoch microseconds ({@code "t"}), then {@code data: [DONE]}. Events are due at fixed times
 * from the stream's start, not MS after the previous write, so a slow write does not shift the ones after it.
 */
final class TimedEvents {

    private final UpstreamCounters counters;
    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sse-ticker");
        t.setDaemon(true);
        return t;
    });

    TimedEvents(UpstreamCounters counters) {
        this.counters = counters;
    }

    void stream(Request request, Response response, Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        int events = Upstream.intParam(query, "events", 50);
        long interval = Upstream.intParam(query, "interval", 10);
        int pad = Upstream.intParam(query, "pad", 0);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        counters.streamOpened();
        long start = System.nanoTime();
        String padding = "p".repeat(pad);
        new Object() {
            int sent;

            void next() {
                if (sent == events) {
                    response.write(true, ByteBuffer.wrap("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8)),
                            Callback.from(() -> done(true, null), x -> done(false, x)));
                    return;
                }
                long due = start + (sent + 1) * interval * 1_000_000L;
                long wait = due - System.nanoTime();
                ticker.schedule(this::send, Math.max(0, wait), TimeUnit.NANOSECONDS);
            }

            void send() {
                int i = sent++;
                String event = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"i\":" + i
                        + ",\"t\":" + EpochMicros.now() + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + i
                        + padding + "\"}}]}\n\n";
                response.write(false, ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8)),
                        Callback.from(this::next, x -> done(false, x)));
            }

            void done(boolean clean, Throwable failure) {
                counters.streamClosed(clean);
                if (clean) {
                    callback.succeeded();
                } else {
                    callback.failed(failure);
                }
            }
        }.next();
    }
}
