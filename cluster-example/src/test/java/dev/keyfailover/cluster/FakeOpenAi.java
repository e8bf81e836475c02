package dev.keyfailover.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The OpenAI API as the nodes' one upstream ({@code OPENAI_BASE_URL} of the failsafe run points
 * at {@code /openai} here), on 127.0.0.1 and the reserved {@code upstream.port}: answers by the
 * key a request carries, as scripted per key (served by default), and records every key it sees.
 * One for the whole test JVM, started on first use; tests {@link #reset()} it.
 */
final class FakeOpenAi {

    /** What the upstream answers a key. */
    enum Answer {
        OK(200, "{\"id\":\"chatcmpl-it\",\"object\":\"chat.completion\",\"choices\":[]}"),
        RATE_LIMITED(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                + "\"code\":\"rate_limit_exceeded\"}}"),
        REVOKED(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                + "\"code\":\"invalid_api_key\"}}");

        final int status;
        final String body;

        Answer(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private static FakeOpenAi shared;

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<String> keysSeen = new CopyOnWriteArrayList<>();

    private FakeOpenAi(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-openai");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/openai/", this::handle);
        server.start();
    }

    static synchronized FakeOpenAi shared() throws IOException {
        if (shared == null) {
            shared = new FakeOpenAi(Integer.parseInt(System.getProperty("upstream.port")));
        }
        return shared;
    }

    FakeOpenAi reset() {
        answers.clear();
        keysSeen.clear();
        return this;
    }

    FakeOpenAi on(String key, Answer answer) {
        answers.put(key, answer);
        return this;
    }

    List<String> keysSeen() {
        return List.copyOf(keysSeen);
    }

    long attemptsWith(String key) {
        return keysSeen.stream().filter(key::equals).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String key = authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
            keysSeen.add(key);
            Answer answer = answers.getOrDefault(key, Answer.OK);
            if (answer == Answer.RATE_LIMITED) {
                exchange.getResponseHeaders().add("Retry-After", "300");
            }
            byte[] body = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
