package dev.keyfailover.bench.pool;

import static dev.keyfailover.bench.pool.LocalServers.intOption;
import static dev.keyfailover.bench.pool.LocalServers.port;
import static dev.keyfailover.bench.pool.LocalServers.server;
import static dev.keyfailover.bench.pool.LocalServers.stringOption;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyfailover.servlet.KeyFailoverServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * Issue 10's scenario: 4 keys and 2 models behind an upstream that limits requests per (key, model)
 * and says so in OpenAI's rate-limit headers (429 with {@code Retry-After} past the limit). The same
 * paced load, below the pool's total capacity, goes through the proxy with {@code cooldownScope=key},
 * {@code model}, and {@code model} with {@code keyOrder=headroom}; the table counts the 429s that
 * reached upstream and the errors clients saw. Counts, not times: stable on a shared machine.
 *
 * <p>Usage: {@code ModelLimitsBench [--requests=1000] [--rate=60] [--out=FILE] [--json=FILE]} (appends a
 * Markdown section to {@code --out}, else prints it; {@code --json} also writes the rows as JSON, which is how the
 * harness's scenario 6 reads them).
 */
public final class ModelLimitsBench {

    private static final String[] KEYS = {"sk-bench-model-key-0000000001", "sk-bench-model-key-0000000002",
        "sk-bench-model-key-0000000003", "sk-bench-model-key-0000000004"};
    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini"};
    /** Requests per (key, model) per window: 4 keys x 5 per 500 ms = 40 requests/s per model. */
    private static final int LIMIT = 5;
    private static final long WINDOW_MILLIS = 500;

    record Row(String setting, int clientRequests, int served, int clientErrors, int upstream429s,
               int upstreamAttempts) {
    }

    public static void main(String[] args) throws Exception {
        int requests = intOption(args, "--requests=", 1000);
        int rate = intOption(args, "--rate=", 60);
        String out = stringOption(args, "--out=", null);
        String json = stringOption(args, "--json=", null);
        List<Row> rows = new ArrayList<>();
        rows.add(run("cooldownScope=key", Map.of("cooldownScope", "key"), requests, rate));
        rows.add(run("cooldownScope=model", Map.of("cooldownScope", "model"), requests, rate));
        rows.add(run("cooldownScope=model, keyOrder=headroom", Map.of("cooldownScope", "model", "keyOrder", "headroom"),
                requests, rate));
        if (json != null) {
            jakarta.json.JsonArrayBuilder array = jakarta.json.Json.createArrayBuilder();
            for (Row row : rows) {
                array.add(jakarta.json.Json.createObjectBuilder().add("setting", row.setting())
                        .add("clientRequests", row.clientRequests()).add("served", row.served())
                        .add("clientErrors", row.clientErrors()).add("upstream429s", row.upstream429s())
                        .add("upstreamAttempts", row.upstreamAttempts()));
            }
            Files.writeString(Path.of(json), jakarta.json.Json.createObjectBuilder().add("requests", requests)
                    .add("rate", rate).add("limit", LIMIT).add("windowMillis", WINDOW_MILLIS).add("rows", array)
                    .build().toString());
        }
        String report = report(rows, requests, rate);
        if (out == null) {
            System.out.println(report);
        } else {
            Files.writeString(Path.of(out), report, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            System.out.println("appended to " + out);
        }
        System.exit(0); // the clients' executors are not daemon threads
    }

    static Row run(String name, Map<String, String> settings, int requests, int rate) throws Exception {
        LimitedUpstream upstream = new LimitedUpstream();
        Server upstreamServer = server(new ServletHolder(upstream), "/*", Map.of());
        ServletHolder proxy = new ServletHolder("openai", KeyFailoverServlet.class);
        proxy.setInitParameter("provider", "openai");
        proxy.setInitParameter("baseUrl", "http://127.0.0.1:" + port(upstreamServer));
        proxy.setInitParameter("keys", String.join(",", KEYS));
        proxy.setInitParameter("maxCooldown", "5s");
        settings.forEach(proxy::setInitParameter);
        proxy.setInitOrder(1);
        Server proxyServer = server(proxy, "/openai/*", Map.of());
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(8)).build();
            URI uri = URI.create("http://127.0.0.1:" + port(proxyServer) + "/openai/v1/chat/completions");
            AtomicInteger served = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            List<CompletableFuture<?>> sent = new ArrayList<>();
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger next = new AtomicInteger();
            CompletableFuture<Void> allSent = new CompletableFuture<>();
            pacer.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= requests) {
                    allSent.complete(null);
                    return;
                }
                String body = "{\"model\":\"" + MODELS[i % MODELS.length] + "\",\"messages\":[]}";
                synchronized (sent) {
                    sent.add(client.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.discarding())
                            .thenAccept(response -> (response.statusCode() == 200 ? served : errors).incrementAndGet())
                            .exceptionally(failure -> {
                                errors.incrementAndGet();
                                return null;
                            }));
                }
            }, 0, 1_000_000L / rate, TimeUnit.MICROSECONDS);
            allSent.get();
            pacer.shutdownNow();
            synchronized (sent) {
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
            return new Row(name, requests, served.get(), errors.get(), upstream.tooMany.get(), upstream.attempts.get());
        } finally {
            proxyServer.stop();
            upstreamServer.stop();
        }
    }

    static String report(List<Row> rows, int requests, int rate) {
        StringBuilder text = new StringBuilder("\n## Scenario: rate limits per model (issue 10)\n\n");
        text.append(String.format("4 keys, 2 models (requests alternate), the upstream allows %d requests per (key, model) "
                + "per %d ms and says so in `x-ratelimit-*-requests` headers (429 with `Retry-After` past it). "
                + "%d client requests paced at %d/s (the pool's capacity is %d/s per model). "
                + "`maxCooldown=5s`. Counts per 1,000 client requests.%n%n", LIMIT, WINDOW_MILLIS, requests, rate,
                KEYS.length * LIMIT * 1000 / WINDOW_MILLIS));
        text.append("| proxy setting | upstream 429s / 1,000 | client errors / 1,000 | upstream attempts / request |\n");
        text.append("|---|---:|---:|---:|\n");
        for (Row row : rows) {
            text.append(String.format("| %s | %.1f | %.1f | %.3f |%n", row.setting(),
                    1000.0 * row.upstream429s() / row.clientRequests(), 1000.0 * row.clientErrors() / row.clientRequests(),
                    (double) row.upstreamAttempts() / row.clientRequests()));
        }
        return text.toString();
    }

    /** Counts per (key, model) in fixed windows and answers as OpenAI does, with the rate-limit headers. */
    static final class LimitedUpstream extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final AtomicInteger tooMany = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();
        private final transient Map<String, long[]> windows = new ConcurrentHashMap<>();

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            attempts.incrementAndGet();
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String model = body.contains("gpt-4o-mini") ? "gpt-4o-mini" : "gpt-4o";
            String key = String.valueOf(request.getHeader("Authorization")) + "|" + model;
            long now = System.currentTimeMillis();
            int used;
            long resetAt;
            long[] window = windows.computeIfAbsent(key, k -> new long[] {now + WINDOW_MILLIS, 0});
            synchronized (window) {
                if (now >= window[0]) {
                    window[0] = now + WINDOW_MILLIS;
                    window[1] = 0;
                }
                used = (int) ++window[1];
                resetAt = window[0];
            }
            long resetMillis = Math.max(1, resetAt - now);
            response.setHeader("x-ratelimit-limit-requests", Integer.toString(LIMIT));
            response.setHeader("x-ratelimit-remaining-requests", Integer.toString(Math.max(0, LIMIT - used)));
            response.setHeader("x-ratelimit-reset-requests", resetMillis + "ms");
            response.setContentType("application/json");
            if (used > LIMIT) {
                tooMany.incrementAndGet();
                response.setStatus(429);
                response.setHeader("Retry-After", Long.toString((resetMillis + 999) / 1000));
                response.getWriter().write("{\"error\":{\"message\":\"Rate limit reached for " + model
                        + "\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
                return;
            }
            response.getWriter().write("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"choices\":[]}");
        }
    }

    private ModelLimitsBench() {
    }
}
