package dev.keyfailover.sdk;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake OpenAI / Anthropic / Gemini / Azure OpenAI API on 127.0.0.1 and a free port (the JDK's HTTP server) that
 * answers in each API's real wire format, scripted per key: each key has a queue of answers, used one per
 * request, the last one repeating. The API is the path's first segment ({@code /anthropic/}, {@code /gemini/},
 * {@code /azure-openai/}, else OpenAI's), and so is the header the key is read from. Unscripted keys get the
 * API's "bad key" answer in its error shape. Every request is recorded with its key, headers and arrival time.
 */
final class WireUpstream implements AutoCloseable {

    /** One request as received. */
    record Recorded(String path, String query, String key, Map<String, String> headers, String body,
            long arrivedNanos) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One scripted answer. */
    record Answer(int status, Map<String, String> headers, List<String> chunks) {
        Answer withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Answer(status, more, chunks);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "wire-upstream");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, ConcurrentLinkedDeque<Answer>> scripts = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    private WireUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    static WireUpstream start() throws IOException {
        return new WireUpstream();
    }

    /** {@code http://127.0.0.1:<port>}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers requests with this key by these answers, one each, the last one repeating. */
    WireUpstream on(String key, Answer... answers) {
        scripts.put(key, new ConcurrentLinkedDeque<>(List.of(answers)));
        return this;
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    List<String> keysSeen() {
        List<String> keys = new ArrayList<>();
        for (Recorded request : requests) {
            keys.add(request.key());
        }
        return keys;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    // ---------------------------------------------------------------- answers in the wire formats

    static Answer json(int status, String body) {
        return new Answer(status, Map.of("Content-Type", "application/json"), List.of(body));
    }

    /** A {@code text/event-stream} answer; each chunk is written and flushed on its own. */
    static Answer sse(String... events) {
        return new Answer(200, Map.of("Content-Type", "text/event-stream", "Cache-Control", "no-cache"), List.of(events));
    }

    static String event(String name, String data) {
        return (name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n";
    }

    static Answer openAiError(int status, String type, String message) {
        return json(status, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,"
                + "\"code\":null}}");
    }

    static Answer anthropicError(int status, String type, String message) {
        return json(status, "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}");
    }

    static Answer chatCompletion(String content) {
        return chatCompletionFrom("gpt-4o-mini", content);
    }

    /** A chat completion whose {@code model} field names {@code model}, as the provider serving it would. */
    static Answer chatCompletionFrom(String model, String content) {
        return json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1732000000,"
                + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"" + content + "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}");
    }

    static Answer chatCompletionStream(String... words) {
        return chatCompletionStreamFrom("gpt-4o-mini", words);
    }

    /** A streamed chat completion whose chunks name {@code model}. */
    static Answer chatCompletionStreamFrom(String model, String... words) {
        List<String> events = new ArrayList<>();
        for (String word : words) {
            events.add(event(null, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
                    + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},"
                    + "\"logprobs\":null,\"finish_reason\":null}]}"));
        }
        events.add(event(null, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
                + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
                + "\"finish_reason\":\"stop\"}]}"));
        events.add(event(null, "[DONE]"));
        return sse(events.toArray(String[]::new));
    }

    static Answer message(String text) {
        return json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}");
    }

    static Answer messageStream(String... words) {
        List<String> events = new ArrayList<>();
        events.add(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}"));
        events.add(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        events.add(event("ping", "{\"type\":\"ping\"}"));
        for (String word : words) {
            events.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + word + "\"}}"));
        }
        events.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + words.length + "}}"));
        events.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return sse(events.toArray(String[]::new));
    }

    // ---------------------------------------------------------------- serving

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    String.join(",", values)));
            Api api = Api.of(path);
            String key = api.key(headers);
            requests.add(new Recorded(path, exchange.getRequestURI().getRawQuery(), key, headers, body, arrived));

            ConcurrentLinkedDeque<Answer> script = key == null ? null : scripts.get(key);
            Answer answer;
            if (script == null) {
                answer = api.badKey();
            } else {
                answer = script.size() > 1 ? script.pollFirst() : script.peekFirst();
            }
            write(exchange, answer);
        }
    }

    /** The API a request is for, by the path's first segment: where its key travels, how it refuses a bad one. */
    private enum Api {
        OPENAI, ANTHROPIC, GEMINI, AZURE_OPENAI;

        static Api of(String path) {
            if (path.startsWith("/anthropic/")) {
                return ANTHROPIC;
            }
            if (path.startsWith("/gemini/")) {
                return GEMINI;
            }
            return path.startsWith("/azure-openai/") ? AZURE_OPENAI : OPENAI;
        }

        String key(Map<String, String> headers) {
            return switch (this) {
                // Anthropic takes X-Api-Key, or a bearer token (what its Java SDK 3.x sends for apiKey).
                case ANTHROPIC -> headers.containsKey("x-api-key") ? headers.get("x-api-key")
                        : bearer(headers.get("authorization"));
                case GEMINI -> headers.get("x-goog-api-key");
                case AZURE_OPENAI -> headers.get("api-key");
                case OPENAI -> bearer(headers.get("authorization"));
            };
        }

        Answer badKey() {
            return switch (this) {
                case ANTHROPIC -> anthropicError(401, "authentication_error", "invalid x-api-key");
                case GEMINI -> GeminiWire.apiKeyInvalid();
                case AZURE_OPENAI -> json(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid"
                        + " subscription key or wrong API endpoint. Make sure to provide a valid key for an active"
                        + " subscription and use a correct regional API endpoint for your resource.\"}}");
                case OPENAI -> openAiError(401, "invalid_request_error", "Incorrect API key provided");
            };
        }
    }

    private static void write(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        boolean stream = answer.headers().getOrDefault("Content-Type", "").startsWith("text/event-stream");
        if (stream) {
            exchange.sendResponseHeaders(answer.status(), 0);
            OutputStream out = exchange.getResponseBody();
            for (String chunk : answer.chunks()) {
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } else {
            byte[] bytes = String.join("", answer.chunks()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }
}
