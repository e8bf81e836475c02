package dev.keyfailover.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket): open a page, run script in
 * it as a person's clicks and typing would, and read what it shows. Debian's {@code chromium}
 * at {@link #BINARY}.
 */
public final class Chromium implements AutoCloseable {

    public static final File BINARY = new File("/usr/bin/chromium");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, WebSocket.Builder sockets, URI page) throws Exception {
        this.process = process;
        this.socket = sockets.buildAsync(page, new Listener()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A browser with its own profile in {@code profile} (a fresh directory), showing a blank page. */
    public static Chromium start(Path profile) throws Exception {
        List<String> command = new ArrayList<>(List.of(BINARY.getPath(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--remote-allow-origins=*", "about:blank"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            await().atMost(WAIT).until(() -> Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2);
            String port = Files.readAllLines(portFile).get(0).trim();
            HttpClient http = HttpClient.newHttpClient();
            URI list = URI.create("http://127.0.0.1:" + port + "/json/list");
            URI page = await().atMost(WAIT).until(() -> pageTarget(http, list), java.util.Objects::nonNull);
            return new Chromium(process, http.newWebSocketBuilder(), page);
        } catch (Exception | AssertionError e) {
            stop(process);
            throw e;
        }
    }

    private static URI pageTarget(HttpClient http, URI list) throws Exception {
        String targets = http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (JsonValue target : Json.createReader(new StringReader(targets)).readArray()) {
            JsonObject object = target.asJsonObject();
            if ("page".equals(object.getString("type", "")) && object.containsKey("webSocketDebuggerUrl")) {
                return URI.create(object.getString("webSocketDebuggerUrl"));
            }
        }
        return null;
    }

    /** Opens {@code uri} and waits until the page has loaded. */
    public void open(URI uri) {
        call("Page.navigate", Json.createObjectBuilder().add("url", uri.toString()));
        await().atMost(WAIT).until(() -> "complete".equals(eval("document.readyState"))
                && uri.toString().equals(eval("location.href")));
    }

    /**
     * The value of {@code expression} in the page, a promise awaited, as a string ({@code null} for
     * undefined); an exception the script throws fails the test.
     */
    public String eval(String expression) {
        JsonObject result = call("Runtime.evaluate", Json.createObjectBuilder().add("expression", expression)
                .add("awaitPromise", true).add("returnByValue", true));
        if (result.containsKey("exceptionDetails")) {
            throw new AssertionError("the page's script failed: " + result.getJsonObject("exceptionDetails"));
        }
        JsonObject value = result.getJsonObject("result");
        if (!value.containsKey("value") || value.isNull("value")) {
            return null;
        }
        JsonValue plain = value.get("value");
        return plain.getValueType() == JsonValue.ValueType.STRING ? value.getString("value") : plain.toString();
    }

    /** Whether {@code expression} comes true in the page within 30 s. */
    public void awaitTrue(String expression) {
        await().atMost(WAIT).until(() -> "true".equals(eval("!!(" + expression + ")")));
    }

    private JsonObject call(String method, JsonObjectBuilder params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String message = Json.createObjectBuilder().add("id", id).add("method", method).add("params", params).build()
                .toString();
        try {
            socket.sendText(message, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            JsonObject reply = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (reply.containsKey("error")) {
                throw new AssertionError(method + " failed: " + reply.getJsonObject("error"));
            }
            return reply.getJsonObject("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(method + " was interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(method + " got no answer from Chromium", e);
        } finally {
            pending.remove(id);
        }
    }

    @Override
    public void close() {
        socket.abort();
        stop(process);
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gathers each message's parts and hands a command's answer to whoever waits for it. */
    private final class Listener implements WebSocket.Listener {

        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                JsonObject message = Json.createReader(new StringReader(parts.toString())).readObject();
                parts.setLength(0);
                if (message.containsKey("id")) {
                    CompletableFuture<JsonObject> waiting = pending.get(message.getInt("id"));
                    if (waiting != null) {
                        waiting.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
