package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.keyfailover.chain.LogThrottle;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * A provider that is down fails every request: each is answered as before, but the log gets one
 * line per window, not one per request (behaviour.md §8).
 */
class UpstreamDownLogTest {

    private static final String POOL_KEY = "sk-pool-down-000000000001";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final MutableClock clock = MutableClock.atFixedStart();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    private HttpResponse<String> post() throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> forwardingWarnings() {
        return CapturedLogs.events().stream()
                .filter(event -> event.level() == Level.WARN && event.logger().equals(ProxyRoute.class.getName()))
                .map(CapturedLogs.Event::message)
                .filter(message -> message.contains("failed before answering"))
                .toList();
    }

    private void startToAClosedPort() throws Exception {
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0)) {
            closedPort = unused.getLocalPort();
        }
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "keys", POOL_KEY,
                "baseUrl", "http://127.0.0.1:" + closedPort, "retries", "0"), clock);
        CapturedLogs.clear();
    }

    @Test
    void twoHundredRequestsToAClosedPortAreAnsweredAlikeAndLoggedOnce() throws Exception {
        startToAClosedPort();

        HttpResponse<String> first = post();
        for (int i = 1; i < 200; i++) {
            HttpResponse<String> next = post();
            assertThat(next.statusCode()).isEqualTo(502);
            assertThat(next.body()).isEqualTo(first.body());
        }

        assertThat(first.statusCode()).isEqualTo(502);
        assertThat(first.body()).contains("\"error\"").doesNotContain(POOL_KEY);
        assertThat(forwardingWarnings()).singleElement().asString()
                .startsWith("openai: upstream POST failed before answering: ")
                .doesNotContain("more like it");

        clock.advance(LogThrottle.WINDOW);
        assertThat(post().statusCode()).isEqualTo(502);

        assertThat(forwardingWarnings()).hasSize(2).last().asString()
                .endsWith("(199 more like it in the 10 s after the last one logged)");
        assertThat(CapturedLogs.allText()).doesNotContain(POOL_KEY);
    }

    @Test
    void theRoutesSweepWritesTheLastCountOfAnOutageThatEnded() throws Exception {
        startToAClosedPort();
        for (int i = 0; i < 20; i++) {
            assertThat(post().statusCode()).isEqualTo(502);
        }

        // The route's sweep runs on real time; the throttle's window on the route's clock, ended a window ago.
        clock.advance(LogThrottle.WINDOW.multipliedBy(2));

        await().atMost(Duration.ofSeconds(10)).until(() -> forwardingWarnings().size() == 2);
        assertThat(forwardingWarnings().get(1)).matches("openai: 19 more like \"upstream failed before answering: "
                + "[\\w.]+Exception\" in the 10 s after the last one logged, none since");
        proxy.close();
        proxy = null;
        assertThat(forwardingWarnings()).as("nothing left to write at the stop").hasSize(2);
    }

    @Test
    void stoppingTheRouteWritesWhatItsThrottledLinesStillCount() throws Exception {
        startToAClosedPort();
        for (int i = 0; i < 20; i++) {
            assertThat(post().statusCode()).isEqualTo(502);
        }
        assertThat(forwardingWarnings()).hasSize(1);

        proxy.close();
        proxy = null;

        assertThat(forwardingWarnings()).hasSize(2).last().asString().matches("openai: 19 more like \"upstream "
                + "failed before answering: [\\w.]+Exception\" since the last one logged, until the route stopped");
    }
}
