package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.keyfailover.chain.UsageShapes;
import dev.keyfailover.testing.AnswerHold;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §16, "What counts": a client that sends one request after another, each the moment
 * it has the answer before, has no request in flight when a budget is crossed, so the request after
 * the one that crossed already finds the budget spent. Each answer's thread is held (by
 * {@link AnswerHold}) from the moment its client has it whole until the next answer was made: what
 * the proxy counted only after the client had the answer would always land too late.
 */
class BudgetsForSequentialClientsTest {

    private static final String FIRST = "sk-first-0000000000001";
    private static final String SECOND = "sk-second-000000000002";
    private static final String ALICE = "tok-alice-0123456789abcdef";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[]}";
    private static final String STREAM = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}";
    private static final String STREAM_WITH_USAGE = "{\"model\":\"gpt-4o\",\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},\"messages\":[]}";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T23:00:00Z"));
    private final AnswerHold hold = new AnswerHold();
    private final FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        hold.open();
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(String... more) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("provider", "openai", "name", "openai",
                "baseUrl", upstream.baseUri().toString(), "keys", FIRST + "," + SECOND, "authRecheck", "never"));
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        proxy = ProxyServer.servletBehind(hold, params, clock);
    }

    /** Requests one after another, each sent the moment the answer before arrived whole: their answers. */
    private List<String> oneAfterAnother(int count, String body, String... headers) throws Exception {
        StringBuilder head = new StringBuilder("POST /app/openai/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        String request = head + "\r\n" + body;
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(RawHttp.oneAnswer(proxy.port(), request));
        }
        return answers;
    }

    private static String status(String answer) {
        return answer.substring(0, answer.indexOf("\r\n"));
    }

    @Test
    void aClientSendingOneRequestAfterAnotherNeverOvershootsAKeyBudgetByMoreThanOneAnswer() throws Exception {
        upstream.otherwise(FakeUpstream.ok(UsageShapes.OPENAI_JSON)); // 29 tokens, with its Content-Length
        start("keyBudget", "50 tokens per day");

        List<String> answers = oneAfterAnother(3, CHAT);

        assertThat(answers).extracting(BudgetsForSequentialClientsTest::status)
                .containsOnly("HTTP/1.1 200 OK");
        assertThat(RawHttp.head(answers.get(1))).containsIgnoringCase("Content-Length");
        assertThat(RawHttp.body(answers.get(1))).isEqualTo(UsageShapes.OPENAI_JSON);
        // The second answer crossed the budget (58 of 50); the third is the next key's.
        assertThat(upstream.keysSeen()).containsExactly(FIRST, FIRST, SECOND);
    }

    @Test
    void aClientSendingOneRequestAfterAnotherIsRefusedRightAfterTheAnswerThatSpentItsClientBudget()
            throws Exception {
        upstream.otherwise(FakeUpstream.ok(UsageShapes.OPENAI_JSON));
        start("clientTokens", "alice:" + ALICE, "clientBudget", "2 requests per day");

        List<String> answers = oneAfterAnother(3, CHAT, "Authorization: Bearer " + ALICE);

        assertThat(answers).extracting(BudgetsForSequentialClientsTest::status)
                .containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 429 Too Many Requests");
        assertThat(RawHttp.body(answers.get(2))).contains("alice").contains("budget").doesNotContain(ALICE);
        assertThat(upstream.requests()).hasSize(2);

        clock.advance(Duration.ofHours(1)); // midnight UTC: the window resets
        hold.open();
        assertThat(status(oneAfterAnother(1, CHAT, "Authorization: Bearer " + ALICE).get(0)))
                .isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void aStreamIsCountedWhenUpstreamEndsItBeforeTheClientHasItsEnd() throws Exception {
        upstream.otherwise(FakeUpstream.paced(Duration.ZERO, openAiStream())); // 11 tokens; chunked
        start("keyBudget", "20 tokens per day"); // streamUsage=inject: the proxy asks for the usage chunk

        List<String> answers = oneAfterAnother(3, STREAM);

        assertThat(answers).extracting(BudgetsForSequentialClientsTest::status)
                .containsOnly("HTTP/1.1 200 OK");
        assertThat(RawHttp.head(answers.get(1))).containsIgnoringCase("Transfer-Encoding: chunked");
        assertThat(RawHttp.body(answers.get(1))).endsWith(UsageShapes.OPENAI_DONE).doesNotContain("\"usage\":{");
        // The second stream crossed the budget (22 of 20); the third is the next key's.
        assertThat(upstream.keysSeen()).containsExactly(FIRST, FIRST, SECOND);
    }

    @Test
    void anEventStreamOfKnownLengthIsCountedBeforeItsLastBytesGoToTheClient() throws Exception {
        byte[] stream = String.join("", openAiStream()).getBytes(StandardCharsets.UTF_8);
        upstream.otherwise(new FakeUpstream.Reply(200, Map.of("Content-Type", "text/event-stream"), stream));
        start("keyBudget", "20 tokens per day");

        // The client asks for the usage chunk itself: it gets it, and the answer keeps its length.
        List<String> answers = oneAfterAnother(3, STREAM_WITH_USAGE);

        assertThat(answers).extracting(BudgetsForSequentialClientsTest::status)
                .containsOnly("HTTP/1.1 200 OK");
        assertThat(RawHttp.head(answers.get(1))).containsIgnoringCase("Content-Length: " + stream.length);
        assertThat(upstream.keysSeen()).containsExactly(FIRST, FIRST, SECOND);
    }

    /** An OpenAI chat stream with its usage chunk (11 tokens) and {@code [DONE]}. */
    private static String[] openAiStream() {
        List<String> events = new ArrayList<>(List.of(UsageShapes.OPENAI_EVENTS));
        events.add(UsageShapes.OPENAI_USAGE_CHUNK);
        events.add(UsageShapes.OPENAI_DONE);
        return events.toArray(String[]::new);
    }
}
