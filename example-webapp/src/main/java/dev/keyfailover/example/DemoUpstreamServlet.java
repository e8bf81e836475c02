package dev.keyfailover.example;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import dev.keyfailover.pool.KeyHint;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A simulated OpenAI-, Anthropic- and Gemini-compatible API ({@link DemoGemini}), so that a fresh
 * clone shows every case of the pool at once. By what the key contains:
 * <ul>
 *   <li>{@code ratelimited}: 429 with {@code Retry-After: 30}, for every model;</li>
 *   <li>{@code revoked}: 401;</li>
 *   <li>{@code noquota}: the account is out of credit (OpenAI 429 {@code insufficient_quota},
 *       Anthropic 400 about the credit balance);</li>
 *   <li>{@code busy4o}: 429 for the model {@code gpt-4o} only, served for every other model;</li>
 *   <li>{@code countdown}: served, with rate-limit headers that count down from 3 requests to 0
 *       and refill 20 s after the first request of a window;</li>
 *   <li>any other key: served.</li>
 * </ul>
 * {@code "stream": true} answers as server-sent events. Mapped at {@code /demo-upstream/*}:
 * {@code /openai/v1/chat/completions}, {@code /openai/v1/models}, {@code /anthropic/v1/messages},
 * {@code /anthropic/v1/models}, {@code /gemini/…};
 * {@code /credentials-seen} counts the credentials it was sent, as masked hints ({@link CredentialsSeen}).
 *
 * <p>Some models show what is otherwise rare, whatever the key: {@value #RATE_LIMITED_MODEL} is
 * rate-limited (429) on every key, so the pool runs dry (an exhaustion); the provider's own
 * failures ({@link DemoFaults}): {@code demo-hang-up} hangs up in the middle of its answer (a
 * transport failure, 502), {@code demo-flaky} fails every other request with 503 or 500 on a key
 * that would serve, {@code demo-silent} never sends a head on a key that would serve.
 */
public class DemoUpstreamServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Where web.xml maps it: a route whose base URL starts so is on the demo upstream. */
    static final String PATH = "/demo-upstream/";
    /** Looked up once: each of {@code jakarta.json.Json}'s factory methods looks it up again. */
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final int COUNTDOWN_LIMIT = 3;
    private static final Duration COUNTDOWN_WINDOW = Duration.ofSeconds(20);
    static final String RATE_LIMITED_MODEL = "demo-rate-limited";

    private final transient CountdownLimits countdown = new CountdownLimits(COUNTDOWN_LIMIT, COUNTDOWN_WINDOW);
    private final transient CredentialsSeen credentialsSeen = new CredentialsSeen();
    private final transient DemoFaults faults = new DemoFaults();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (path.equals("/credentials-seen")) {
            credentialsSeen.write(response);
            return;
        }
        credentialsSeen.record(request);
        if (path.startsWith("/gemini/")) {
            DemoGemini.serve(path.substring("/gemini".length()), request, response);
            return;
        }
        boolean anthropic = path.startsWith("/anthropic/");
        String key = anthropic ? DemoCredentials.anthropicKey(request) : DemoCredentials.bearer(request);
        if (key == null) {
            error(response, anthropic, 401, "authentication_error", "no API key");
            return;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        JsonObject body = path.endsWith("/models") ? JsonObject.EMPTY_JSON_OBJECT : body(request);
        String model = body.getString("model", "");
        if (DemoFaults.HANG_UP_MODEL.equals(model)) {
            DemoFaults.hangUp(response);
            return;
        }
        if (lower.contains("ratelimited") || RATE_LIMITED_MODEL.equals(model)) {
            response.setHeader("Retry-After", "30");
            error(response, anthropic, 429, "rate_limit_error", "demo: this key is rate-limited");
            return;
        }
        if (lower.contains("revoked")) {
            error(response, anthropic, 401, "authentication_error", "demo: this key was revoked");
            return;
        }
        if (lower.contains("noquota")) {
            if (anthropic) {
                error(response, true, 400, "invalid_request_error",
                        "Your credit balance is too low to access the Anthropic API (demo)");
            } else {
                errorWithCode(response, 429, "insufficient_quota",
                        "You exceeded your current quota, please check your plan and billing details (demo)");
            }
            return;
        }
        if (lower.contains("busy4o") && "gpt-4o".equals(model)) {
            response.setHeader("Retry-After", "30");
            error(response, anthropic, 429, "rate_limit_error", "demo: this key is rate-limited for gpt-4o only");
            return;
        }
        int flaky = DemoFaults.FLAKY_MODEL.equals(model) ? faults.flaky(path) : 0;
        if (flaky != 0) {
            error(response, anthropic, flaky, anthropic ? "api_error" : "server_error",
                    "demo: the flaky case failed this time (" + flaky + ")");
            return;
        }
        if (DemoFaults.SILENT_MODEL.equals(model)) {
            DemoFaults.staySilent(request);
            return;
        }
        if (lower.contains("countdown")) {
            countdown.answer(key, anthropic, response);
        }
        String served = "served by the demo upstream with key " + KeyHint.of(key);
        if (path.equals("/openai/v1/models")) {
            json(response, "{\"object\":\"list\",\"data\":[{\"id\":\"demo-model\",\"object\":\"model\",\"owned_by\":\"demo\"}]}");
        } else if (path.equals("/anthropic/v1/models")) {
            json(response, "{\"data\":[{\"type\":\"model\",\"id\":\"claude-demo\",\"display_name\":\"Claude (demo)\","
                    + "\"created_at\":\"2026-01-01T00:00:00Z\"}],\"has_more\":false,\"first_id\":\"claude-demo\","
                    + "\"last_id\":\"claude-demo\"}");
        } else if (path.equals("/openai/v1/chat/completions")) {
            if (body.getBoolean("stream", false)) {
                streamOpenAi(response, served);
            } else {
                json(response, JSON.createObjectBuilder().add("id", "chatcmpl-demo").add("object", "chat.completion")
                        .add("created", System.currentTimeMillis() / 1000).add("model", body.getString("model", "demo-model"))
                        .add("choices", JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("index", 0)
                                .add("message", JSON.createObjectBuilder().add("role", "assistant").add("content", served))
                                .add("finish_reason", "stop")))
                        .add("usage", JSON.createObjectBuilder().add("prompt_tokens", 5).add("completion_tokens", 9)
                                .add("total_tokens", 14))
                        .build().toString());
            }
        } else if (path.equals("/anthropic/v1/messages")) {
            if (body.getBoolean("stream", false)) {
                streamAnthropic(response, served, body.getString("model", "demo-model"));
            } else {
                json(response, JSON.createObjectBuilder().add("id", "msg_demo").add("type", "message").add("role", "assistant")
                        .add("model", body.getString("model", "demo-model"))
                        .add("content", JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("type", "text").add("text", served)))
                        .add("stop_reason", "end_turn").addNull("stop_sequence")
                        .add("usage", JSON.createObjectBuilder().add("input_tokens", 5).add("output_tokens", 9))
                        .build().toString());
            }
        } else {
            error(response, anthropic, 404, "not_found_error", "demo: no such endpoint " + path);
        }
    }

    private static void streamOpenAi(HttpServletResponse response, String text) throws IOException {
        eventStream(response);
        PrintWriter out = response.getWriter();
        for (String word : text.split(" ")) {
            String chunk = JSON.createObjectBuilder().add("id", "chatcmpl-demo").add("object", "chat.completion.chunk")
                    .add("created", System.currentTimeMillis() / 1000).add("model", "demo-model")
                    .add("choices", JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("index", 0)
                            .add("delta", JSON.createObjectBuilder().add("content", word + " ")).addNull("finish_reason")))
                    .build().toString();
            event(out, null, chunk);
        }
        event(out, null, "[DONE]");
    }

    private static void streamAnthropic(HttpServletResponse response, String text, String model) throws IOException {
        eventStream(response);
        PrintWriter out = response.getWriter();
        event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_demo\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
        event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        for (String word : text.split(" ")) {
            event(out, "content_block_delta", JSON.createObjectBuilder().add("type", "content_block_delta").add("index", 0)
                    .add("delta", JSON.createObjectBuilder().add("type", "text_delta").add("text", word + " "))
                    .build().toString());
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}");
        event(out, "message_stop", "{\"type\":\"message_stop\"}");
    }

    /** Starts an event stream in UTF-8, as the JSON answers are: a key's hint ("sk-d…0004") arrives whole. */
    private static void eventStream(HttpServletResponse response) {
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
    }

    private static void event(PrintWriter out, String name, String data) throws IOException {
        DemoEvents.write(out, (name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n");
    }

    private static JsonObject body(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (text.isBlank()) {
                return JsonObject.EMPTY_JSON_OBJECT;
            }
            try (JsonReader reader = JSON.createReader(new StringReader(text))) {
                return reader.readObject();
            } catch (RuntimeException e) {
                return JsonObject.EMPTY_JSON_OBJECT;
            }
        }
    }

    private static void error(HttpServletResponse response, boolean anthropic, int status, String type, String message)
            throws IOException {
        response.setStatus(status);
        String body = anthropic
                ? JSON.createObjectBuilder().add("type", "error").add("error", JSON.createObjectBuilder()
                        .add("type", type).add("message", message)).build().toString()
                : JSON.createObjectBuilder().add("error", JSON.createObjectBuilder().add("message", message)
                        .add("type", type).addNull("code")).build().toString();
        json(response, body);
    }

    private static void errorWithCode(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        response.setStatus(status);
        json(response, JSON.createObjectBuilder().add("error", JSON.createObjectBuilder().add("message", message)
                .add("type", code).addNull("param").add("code", code)).build().toString());
    }

    private static void json(HttpServletResponse response, String body) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body);
    }
}
