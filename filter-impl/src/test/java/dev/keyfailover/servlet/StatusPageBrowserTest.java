package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML status page as a person sees it: rendered by headless Chromium (Debian's
 * {@code chromium}, installed by {@code .ci/run}).
 */
class StatusPageBrowserTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");

    private final FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @BeforeAll
    static void needsChromium() {
        Assumptions.assumeTrue(CHROMIUM.canExecute(),
                "Chromium is not installed at /usr/bin/chromium (.ci/run installs Debian's 'chromium' package as root)");
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    @Test
    void theRenderedPageShowsEachKeysHintStateAndLastStatusAndSaysHowOftenItRefreshes(@TempDir Path profile) throws Exception {
        upstream.on("sk-limited-000000001", FakeUpstream.rateLimited("30"))
                .on("sk-revoked-000000002", FakeUpstream.status(401))
                .on("sk-good-0000000000003", FakeUpstream.ok("{}"));
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(),
                "keys", "sk-limited-000000001,sk-revoked-000000002,sk-good-0000000000003"));
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models")).build(),
                HttpResponse.BodyHandlers.discarding());

        String dom = chromium(profile, "--dump-dom", proxy.uri("/app/status").toString());

        assertThat(dom).contains("<h2 class=\"provider\">openai</h2>");
        assertThat(rows(dom)).containsExactly(
                "0|sk-…001|COOLING|429",
                "1|sk-…002|DISABLED|401",
                "2|sk-…003|VALID|200");
        assertThat(dom).doesNotContain("sk-limited-000000001", "sk-revoked-000000002", "sk-good-0000000000003");
        assertThat(dom).contains("data-refresh-seconds=\"5\"");
        assertThat(proxy.requestedPaths()).contains("/app/status");
    }

    @Test
    void theRenderedPageShowsPerModelCooldownsAndLimitsAndAnExhaustedKey(@TempDir Path profile) throws Exception {
        upstream.on("sk-models-00000000001", "gpt-a", FakeUpstream.withHeaders(FakeUpstream.ok("{}"),
                        "x-ratelimit-limit-requests", "100", "x-ratelimit-remaining-requests", "0",
                        "x-ratelimit-reset-requests", "20s"))
                .on("sk-models-00000000001", "gpt-b", FakeUpstream.rateLimited("30"))
                .on("sk-quota-000000000002", FakeUpstream.json(429, "{\"error\":{\"message\":\"You exceeded your"
                        + " current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"))
                .on("sk-good-0000000000003", FakeUpstream.ok("{}"));
        proxy = ProxyServer.servlet(Map.of("provider", "openai", "baseUrl", upstream.baseUri().toString(),
                "keys", "sk-models-00000000001,sk-quota-000000000002,sk-good-0000000000003"),
                MutableClock.atFixedStart());
        for (String model : List.of("gpt-a", "gpt-b")) {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[]}"))
                    .build(), HttpResponse.BodyHandlers.discarding());
        }

        String dom = chromium(profile, "--dump-dom", proxy.uri("/app/status").toString());

        assertThat(rows(dom)).containsExactly(
                "0|sk-…001|VALID|429",
                "1|sk-…002|EXHAUSTED|429",
                "2|sk-…003|VALID|200");
        assertThat(cells(dom, 8)).containsExactly(
                "gpt-a: cooling 20 s; requests 0/100 (reset 2026-11-24T10:00:20Z)<br>gpt-b: cooling 30 s", "-", "-");
        assertThat(cells(dom, 3)).containsExactly("-", "3600 s", "-");
        assertThat(dom).doesNotContain("sk-models-00000000001", "sk-quota-000000000002", "sk-good-0000000000003");
    }

    /** "index|hint|state|last status" of every key row, read from the rendered DOM. */
    private static List<String> rows(String dom) {
        List<String> rows = new ArrayList<>();
        for (String row : dom.split("<tr[^>]*>")) {
            if (!row.startsWith("<td>")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : row.split("<td[^>]*>")) {
                int end = cell.indexOf("</td>");
                if (end >= 0) {
                    cells.add(cell.substring(0, end));
                }
            }
            rows.add(cells.get(0) + "|" + cells.get(1) + "|" + cells.get(2) + "|" + cells.get(7));
        }
        return rows;
    }

    /** The cell at {@code column} of every key row, read from the rendered DOM. */
    private static List<String> cells(String dom, int column) {
        List<String> cells = new ArrayList<>();
        for (String row : dom.split("<tr[^>]*>")) {
            if (!row.startsWith("<td>")) {
                continue;
            }
            String[] parts = row.split("<td[^>]*>");
            String cell = parts[column + 1];
            cells.add(cell.substring(0, cell.indexOf("</td>")));
        }
        return cells;
    }

    private static String chromium(Path profile, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.getPath(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
