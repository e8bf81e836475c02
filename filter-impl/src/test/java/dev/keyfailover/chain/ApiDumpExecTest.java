package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.keyfailover.api.Provider;
import dev.keyfailover.pool.KeyHint;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.RawUpstream;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The API dump sees every attempt, masks keys and never disturbs the exchange (behaviour.md §7). */
class ApiDumpExecTest {

    private static final String K1 = "sk-proj-dump-first-AAAAAAAA0001";
    private static final String K2 = "sk-proj-dump-second-BBBBBBB0002";
    private static final String USER_KEY = "sk-user-own-credential-ZZZZ9999";
    private static final String BODY = "{\"model\":\"gpt-test\",\"messages\":[]}";

    @TempDir
    Path dumpRoot;

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2);
    private final FakeUpstream upstream = chain.upstream();
    private final MutableClock clock = chain.clock();
    private ApiDump dump;

    private void client(Path dumpDir, URI base) {
        Provider provider = chain.openAiAt(base);
        dump = new ApiDump(dumpDir, provider.name(), clock, CredentialMasker.of(provider), new ThrottledLines());
        chain.client(provider, dump, FailoverSettings.defaults(),
                ChainFixture.CLIENT_SETTINGS.withConnectTimeout(Duration.ofSeconds(2)));
    }

    private ClassicHttpRequest request(String pathAndQuery) {
        ClassicHttpRequest request = chain.post(pathAndQuery, BODY);
        request.addHeader("OpenAI-Organization", "org-test");
        return request;
    }

    private List<Path> dumpFiles() throws IOException {
        try (Stream<Path> files = Files.list(dump.directory())) {
            return files.sorted().toList();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void everyAttemptIsWrittenAsARequestAndAResponseFileThatSortInOrder() throws Exception {
        upstream.on(K1, FakeUpstream.json(429, "{\"error\":{\"message\":\"slow down\"}}").withHeader("Retry-After", "7"))
                .on(K2, FakeUpstream.ok("{\"id\":\"chatcmpl-2\"}"));
        client(dumpRoot, upstream.baseUri());

        assertThat(chain.send(request("/v1/chat/completions?stream=false"))).isEqualTo("200 {\"id\":\"chatcmpl-2\"}");

        assertThat(dump.directory()).isEqualTo(dumpRoot.resolve("openai"));
        List<Path> files = dumpFiles();
        assertThat(files).extracting(f -> f.getFileName().toString())
                .hasSize(4)
                .satisfies(names -> {
                    assertThat(names.get(0)).endsWith("-a1.request.txt");
                    assertThat(names.get(1)).endsWith("-a1.response.txt");
                    assertThat(names.get(2)).endsWith("-a2.request.txt");
                    assertThat(names.get(3)).endsWith("-a2.response.txt");
                });

        String url = upstream.baseUri().resolve("/v1/chat/completions?stream=false").toString();
        String firstRequest = read(files.get(0));
        assertThat(firstRequest).startsWith("POST " + url + "\r\n")
                .contains("OpenAI-Organization: org-test\r\n")
                .contains("Authorization: Bearer " + KeyHint.of(K1) + "\r\n")
                .endsWith("\r\n\r\n" + BODY);
        String firstResponse = read(files.get(1));
        assertThat(firstResponse).startsWith("HTTP/1.1 429")
                .contains("Retry-After: 7\r\n")
                .endsWith("\r\n\r\n{\"error\":{\"message\":\"slow down\"}}");
        assertThat(read(files.get(2))).startsWith("POST " + url + "\r\n")
                .contains("Authorization: Bearer " + KeyHint.of(K2) + "\r\n")
                .endsWith("\r\n\r\n" + BODY);
        assertThat(read(files.get(3))).startsWith("HTTP/1.1 200")
                .containsIgnoringCase("Content-Type: application/json")
                .endsWith("\r\n\r\n{\"id\":\"chatcmpl-2\"}");
    }

    @Test
    void laterRequestsSortAfterEarlierOnes() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{\"n\":1}"));
        client(dumpRoot, upstream.baseUri());

        chain.send(request("/v1/first"));
        clock.advance(Duration.ofMillis(1));
        chain.send(request("/v1/second"));

        List<Path> files = dumpFiles();
        assertThat(files).hasSize(4);
        assertThat(read(files.get(0))).startsWith("POST " + upstream.baseUri().resolve("/v1/first"));
        assertThat(read(files.get(2))).startsWith("POST " + upstream.baseUri().resolve("/v1/second"));
    }

    @Test
    void noWholeKeyAppearsInAnyDumpFile() throws Exception {
        upstream.on(K1, FakeUpstream.status(401))
                .on(K2, FakeUpstream.ok("{}"))
                .on(USER_KEY, FakeUpstream.rateLimited("3"));
        client(dumpRoot, upstream.baseUri());

        chain.send(request("/v1/chat/completions"));
        ClassicHttpRequest byok = request("/v1/chat/completions?key=" + USER_KEY);
        byok.addHeader("Authorization", "Bearer " + USER_KEY);
        chain.send(byok);

        List<Path> files = dumpFiles();
        assertThat(files).hasSize(6);
        StringBuilder all = new StringBuilder();
        for (Path file : files) {
            all.append(read(file));
        }
        assertThat(all.toString())
                .doesNotContain(K1, K2, USER_KEY)
                .contains("Bearer " + KeyHint.of(K1), "Bearer " + KeyHint.of(K2), "Bearer " + KeyHint.of(USER_KEY))
                .contains("key=" + KeyHint.of(USER_KEY));
        assertThat(KeyHint.of(K1)).isEqualTo("sk-p…0001");
    }

    @Test
    void streamedBodyIsRecordedAsItPasses() throws Exception {
        FakeUpstream.SseStream stream = FakeUpstream.sse("data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: [DONE]\n\n");
        upstream.on(K1, stream);
        client(dumpRoot, upstream.baseUri());

        try (ClassicHttpResponse response = chain.execute(request("/v1/chat/completions"));
             BufferedReader reader = new BufferedReader(
                     new InputStreamReader(response.getEntity().getContent(), StandardCharsets.UTF_8))) {
            stream.release(1);
            assertThat(reader.readLine()).isEqualTo("data: {\"n\":1}");
            stream.releaseAll();
            StringBuilder rest = new StringBuilder();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rest.append(line).append('\n');
            }
            assertThat(rest.toString()).isEqualTo("\ndata: {\"n\":2}\n\ndata: [DONE]\n\n");
        }

        List<Path> files = dumpFiles();
        assertThat(files).hasSize(2);
        assertThat(read(files.get(1))).startsWith("HTTP/1.1 200")
                .contains("Content-Type: text/event-stream")
                .endsWith("\r\n\r\ndata: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: [DONE]\n\n");
    }

    @Test
    void transportErrorIsRecordedInTheResponseFile() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + KeyFailoverExecTest.closedPort() + "/");
        client(dumpRoot, closed);
        ClassicHttpRequest request = ClassicRequestBuilder.post(closed.resolve("/v1/chat/completions"))
                .setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON)).build();

        assertThatThrownBy(() -> chain.send(request)).isInstanceOf(ConnectException.class);

        List<Path> files = dumpFiles();
        assertThat(files).as("the attempt and its two retries (§18)").hasSize(6);
        assertThat(files.get(4).getFileName().toString()).endsWith("-a3.request.txt");
        assertThat(read(files.get(0))).startsWith("POST " + closed.resolve("/v1/chat/completions"));
        assertThat(read(files.get(1))).startsWith("transport error: ").contains("Connect");
        assertThat(read(files.get(5))).startsWith("transport error: ").contains("Connect");
    }

    @Test
    void theDumpOfAnAnswerCutByUpstreamEndsWithALineSayingSo() throws Exception {
        try (RawUpstream cut = RawUpstream.start(RawUpstream.headAndBodyThenClose(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100", "{\"partial\":"))) {
            client(dumpRoot, cut.baseUri());
            ClassicHttpRequest request = ClassicRequestBuilder.post(cut.baseUri().resolve("/v1/chat/completions"))
                    .setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON)).build();

            assertThatThrownBy(() -> chain.send(request)).isInstanceOf(IOException.class);

            assertThat(read(dumpFiles().get(1))).contains("{\"partial\":")
                    .endsWith("\r\n-- answer cut: upstream failed while answering: "
                            + "org.apache.hc.core5.http.ConnectionClosedException: Premature end of Content-Length "
                            + "delimited message body (expected: 100; received: 11)\r\n");
        }
    }

    @Test
    void theDumpOfAnAnswerLetGoBeforeItsEndSaysSoAndOneReadWholeDoesNot() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{\"id\":\"chatcmpl-1\",\"pad\":\"" + "x".repeat(20_000) + "\"}"));
        client(dumpRoot, upstream.baseUri());

        try (ClassicHttpResponse response = chain.execute(request("/v1/chat/completions"))) {
            response.getEntity().getContent().read(new byte[100]);
        }
        assertThat(chain.send(request("/v1/chat/completions"))).startsWith("200 ");

        List<Path> files = dumpFiles();
        assertThat(read(files.get(1))).endsWith("\r\n-- answer cut: closed before its end (the client went away, "
                + "or the proxy let the answer go)\r\n");
        assertThat(read(files.get(3))).endsWith("\"}").doesNotContain("-- answer cut");
    }

    @Test
    void anUnwritableDumpDirectoryDoesNotBreakTheRequest() throws Exception {
        Path notADirectory = Files.writeString(dumpRoot.resolve("occupied"), "a regular file");
        upstream.on(K1, FakeUpstream.rateLimited("5")).on(K2, FakeUpstream.ok("{\"ok\":true}"));
        client(notADirectory, upstream.baseUri());

        assertThat(chain.send(request("/v1/chat/completions"))).isEqualTo("200 {\"ok\":true}");

        assertThat(upstream.keysSeen()).containsExactly(K1, K2);
        assertThat(upstream.requests()).allSatisfy(r -> assertThat(r.bodyText()).isEqualTo(BODY));
        assertThat(Files.isRegularFile(notADirectory)).isTrue();
        assertThat(chain.client().connectionStats().getLeased()).isZero();
    }

    @Test
    void anUnwritableDumpIsLoggedOncePerWindowNotOncePerFile() throws Exception {
        Path notADirectory = Files.writeString(dumpRoot.resolve("occupied"), "a regular file");
        upstream.on(K1, FakeUpstream.ok("{\"ok\":true}")).on(K2, FakeUpstream.ok("{\"ok\":true}"));
        client(notADirectory, upstream.baseUri());
        CapturedLogs.clear();

        for (int i = 0; i < 20; i++) {
            assertThat(chain.send(request("/v1/chat/completions"))).isEqualTo("200 {\"ok\":true}");
        }
        clock.advance(LogThrottle.WINDOW);
        assertThat(chain.send(request("/v1/chat/completions"))).isEqualTo("200 {\"ok\":true}");

        List<String> lines = CapturedLogs.events().stream().map(CapturedLogs.Event::message)
                .filter(message -> message.startsWith("API dump: cannot write " + notADirectory)).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).doesNotContain("more like it");
        // 20 requests of one attempt, two files each: the first logged, 39 counted.
        assertThat(lines.get(1)).endsWith("(39 more like it in the 10 s after the last one logged)");
    }

    @Test
    void dumpDoesNotAlterALargeResponseBody() throws Exception {
        String big = "{\"data\":\"" + "x".repeat(300_000) + "\"}";
        upstream.on(K1, FakeUpstream.ok(big));
        client(dumpRoot, upstream.baseUri());

        assertThat(chain.send(request("/v1/embeddings"))).isEqualTo("200 " + big);
        assertThat(read(dumpFiles().get(1))).endsWith("\r\n\r\n" + big);
    }
}
