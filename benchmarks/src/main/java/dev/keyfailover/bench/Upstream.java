package dev.keyfailover.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The fake provider: an embedded Jetty (core handler, fully non-blocking, so it is never the
 * bottleneck) on 127.0.0.1 answering OpenAI-like requests by the end of the path, whatever comes
 * before it (so direct and proxied paths hit the same handler):
 * <ul>
 * <li>{@code .../chat/completions} (POST): reads the whole body, then 401 without a bearer key,
 *     a fresh 429 ({@code retry-after-ms: 1}) for any key containing {@code ratelimited}, a 429 with
 *     {@code Retry-After: 30} for one containing {@code cooling30}, else a
 *     canned 1 KiB JSON completion;</li>
 * <li>{@code .../sse?events=N&interval=MS}: an event stream of N events, MS apart, each carrying
 *     its send time in epoch microseconds ({@code "t"}), then {@code data: [DONE]};</li>
 * <li>{@code .../big?mib=N}: N MiB of chunked {@code application/octet-stream};</li>
 * <li>{@code /__stats}, {@code /__reset}: counters for the harness;</li>
 * <li>{@code /__faults?...}: arms the provider failures of chat requests on {@code /flaky/} paths
 *     ({@link Faults}).</li>
 * </ul>
 * Counters: {@link UpstreamCounters}; event streams: {@link TimedEvents}; large answers: {@link BigDownload}.
 * Usage: {@code Upstream <port>}.
 */
public final class Upstream {

    static final byte[] COMPLETION = completion();
    static final byte[] RATE_LIMITED = ("{\"error\":{\"message\":\"Rate limit reached (benchmark)\","
            + "\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}").getBytes(StandardCharsets.UTF_8);
    static final byte[] UNAUTHORIZED = ("{\"error\":{\"message\":\"missing key\",\"type\":\"invalid_request_error\","
            + "\"code\":\"invalid_api_key\"}}").getBytes(StandardCharsets.UTF_8);

    private final Faults faults = new Faults();
    private final UpstreamCounters counters = new UpstreamCounters();
    private final TimedEvents events = new TimedEvents(counters);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(16384); // scenario 7 opens 10,000 streams within seconds; the kernel caps it at somaxconn
        server.addConnector(connector);
        server.setHandler(new Upstream().handler());
        server.start();
        System.out.println("upstream listening on " + port);
        server.join();
    }

    Handler handler() {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = request.getHttpURI().getPath();
                if (path.endsWith("/chat/completions")) {
                    drain(request, 0, () -> complete(request, response, callback), callback);
                } else if (path.endsWith("/sse")) {
                    drain(request, 0, () -> events.stream(request, response, callback), callback);
                } else if (path.endsWith("/big")) {
                    BigDownload.send(request, response, callback, counters);
                } else if (path.equals("/__stats")) {
                    json(response, 200, counters.json(faults.json()), callback);
                } else if (path.equals("/__faults")) {
                    faults.arm(Request.extractQueryParameters(request));
                    json(response, 200, faults.json().getBytes(StandardCharsets.UTF_8), callback);
                } else if (path.equals("/__reset")) {
                    counters.reset();
                    json(response, 200, counters.json(faults.json()), callback);
                } else {
                    json(response, 404, "{\"error\":\"no such benchmark path\"}".getBytes(StandardCharsets.UTF_8),
                            callback);
                }
                return true;
            }
        };
    }

    /** Reads and discards the request body, then runs {@code then}. */
    private void drain(Request request, long seen, Runnable then, Callback callback) {
        long total = seen;
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                long sofar = total;
                request.demand(() -> drain(request, sofar, then, callback));
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                callback.failed(chunk.getFailure());
                return;
            }
            total += chunk.remaining();
            counters.bytesIn.addAndGet(chunk.remaining());
            chunk.release();
            if (chunk.isLast()) {
                then.run();
                return;
            }
        }
    }

    private void complete(Request request, Response response, Callback callback) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.startsWith("Bearer ")) {
            counters.unauthorized.incrementAndGet();
            json(response, 401, UNAUTHORIZED, callback);
        } else if (auth.contains("cooling30")) {
            // Limited for the whole run, as a provider says it: come back in 30 s (scenario 10).
            counters.rateLimited.incrementAndGet();
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
            json(response, 429, RATE_LIMITED, callback);
        } else if (auth.contains("ratelimited")) {
            counters.rateLimited.incrementAndGet();
            // Fresh every time: the proxy cools the key for 1 ms only, so the next request tries it again.
            response.getHeaders().put("retry-after-ms", "1");
            json(response, 429, RATE_LIMITED, callback);
        } else {
            Faults.Fault fault = faults.next(request.getHttpURI().getPath());
            if (fault != Faults.Fault.NONE) {
                Faults.answer(fault, request, response, callback);
                return;
            }
            counters.ok.incrementAndGet();
            json(response, 200, COMPLETION, callback);
        }
    }

    static void json(Response response, int status, byte[] body, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    static int intParam(Fields query, String name, int fallback) {
        String value = query.getValue(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    /** A 1,024-byte chat completion. */
    private static byte[] completion() {
        String head = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
        String tail = "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,"
                + "\"total_tokens\":21}}";
        return (head + "a".repeat(1024 - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }
}
