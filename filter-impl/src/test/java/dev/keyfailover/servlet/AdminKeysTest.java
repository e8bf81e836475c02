package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.logging.CapturedLogs;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** behaviour.md §14: the admin API of a route's keys over HTTP, its persistence, its audit, hostile input. */
class AdminKeysTest {

    private static final String K1 = "sk-admin-key-000000000001";
    private static final String K2 = "sk-admin-key-000000000002";
    private static final String NEW = "sk-admin-key-000000000003";
    private static final String REVOKED = "sk-admin-key-00000000revoked";
    private static final String BEARER = "Bearer " + ProxyServer.ADMIN_TOKEN;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeUpstream upstream = FakeUpstream.start().on(REVOKED, FakeUpstream.status(401))
            .otherwise(FakeUpstream.ok("{}"));
    private final List<String> answers = new ArrayList<>();
    private ProxyServer proxy;
    private Path file;

    @BeforeEach
    void start() throws Exception {
        CapturedLogs.clear();
        file = Files.writeString(dir.resolve("keys"), K1 + "\n" + K2 + "\n");
        start(Map.of("keysFile", file.toString()));
    }

    private void start(Map<String, String> keys) throws Exception {
        Map<String, String> params = new java.util.HashMap<>(keys);
        params.put("provider", "openai");
        params.put("baseUrl", upstream.baseUri().toString());
        proxy = ProxyServer.servlet(params, null, Map.of(), ProxyServer.STATUS_PARAMS);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
        String everything = String.join("\n", answers) + CapturedLogs.allText();
        for (String secret : List.of(K1, K2, NEW, REVOKED)) {
            assertThat(everything).as("no answer or log line holds a key").doesNotContain(secret);
        }
    }

    private HttpResponse<String> send(String method, String path, String authorization, String type, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/app/admin/" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (type != null) {
            request.header("Content-Type", type);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        answers.add(response.body());
        return response;
    }

    private HttpResponse<String> add(String type, String body) throws Exception {
        return send("POST", "keys?route=openai", BEARER, type, body);
    }

    /**
     * The head of a 10 MiB add, over a plain socket: the refusal must come from the declared length,
     * before a byte of the body is read. (Sent whole by Java's client, the server's 413 and its closing
     * the connection race the client's write, and the client reports the broken pipe instead.)
     */
    private int statusOfTenMebibytesDeclared() throws Exception {
        try (Socket socket = new Socket(proxy.uri("/").getHost(), proxy.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST /app/admin/keys?route=openai HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + BEARER
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (10 * 1024 * 1024) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private static JsonObject json(HttpResponse<String> response) {
        return AdminKeysServlet.object(response.body());
    }

    private List<String> fingerprints() {
        return proxy.route().pool().keys().stream().map(Key::fingerprint).toList();
    }

    @Test
    void listsKeysByFingerprintHintSourceAndPosition() throws Exception {
        HttpResponse<String> list = send("GET", "keys?route=openai", null, null, null);

        assertThat(list.statusCode()).isEqualTo(200);
        JsonObject second = json(list).getJsonArray("keys").getJsonObject(1);
        assertThat(second.getString("fingerprint")).isEqualTo(KeyFingerprint.of(K2));
        assertThat(second.getString("source")).isEqualTo("file");
        assertThat(second.getInt("position")).isEqualTo(1);
        assertThat(second.getString("state")).isEqualTo("VALID");
        assertThat(send("GET", "keys?route=nope", null, null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void actionsNeedTheAdminCredentialAndNoForm() throws Exception {
        assertThat(send("POST", "keys?route=openai", null, "application/json", "{}").statusCode()).isEqualTo(401);
        assertThat(send("POST", "keys?route=openai", "Bearer wrong-token-0123456789abcdef0123", "application/json",
                "{}").statusCode()).isEqualTo(403);
        assertThat(send("POST", "keys?route=openai", BEARER, "application/x-www-form-urlencoded", "key=x")
                .statusCode()).isEqualTo(415);
        assertThat(send("POST", "keys?route=openai", BEARER, "multipart/form-data; boundary=x", "--x--")
                .statusCode()).isEqualTo(415);
        assertThat(send("DELETE", "keys/" + KeyFingerprint.of(K1) + "?route=openai", null, null, null).statusCode())
                .isEqualTo(401);
        assertThat(fingerprints()).hasSize(2);
        assertThat(CapturedLogs.events()).filteredOn(event -> event.logger().equals("keyfailover.audit"))
                .hasSize(5).allMatch(event -> event.message().contains("refused"));
    }

    @Test
    void anAddIsWrittenToAWritableFileOwnerOnlyAndReportsDuplicates() throws Exception {
        HttpResponse<String> added = add("application/json",
                "{\"keys\":[{\"key\":\"" + NEW + "\",\"label\":\"team a\"},{\"key\":\"" + K1 + "\"}]}");

        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(json(added).getJsonArray("added").getString(0)).isEqualTo(KeyFingerprint.of(NEW));
        assertThat(json(added).getJsonArray("duplicates").getString(0)).isEqualTo(KeyFingerprint.of(K1));
        assertThat(json(added).getBoolean("persisted")).isTrue();
        assertThat(Files.readAllLines(file)).containsExactly(K1, K2, NEW);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(fingerprints()).endsWith(KeyFingerprint.of(NEW));
        assertThat(proxy.route().pool().find(KeyFingerprint.of(NEW)).orElseThrow().membership().label()).isEqualTo("team a");
        assertThat(CapturedLogs.events()).filteredOn(event -> event.logger().equals("keyfailover.audit"))
                .singleElement().satisfies(line -> assertThat(line.message()).contains("add", "admin token",
                        KeyFingerprint.of(NEW), "1 added, 1 duplicate(s), persisted true"));

        HttpResponse<String> removed = send("DELETE", "keys/" + KeyFingerprint.of(K1) + "?route=openai", BEARER, null,
                null);
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(json(removed).getBoolean("persisted")).isTrue();
        assertThat(Files.readAllLines(file)).containsExactly(K2, NEW);
        assertThat(fingerprints()).containsExactly(KeyFingerprint.of(K2), KeyFingerprint.of(NEW));
    }

    @Test
    void beside_aReadOnlyFile_addedKeysLastUntilRestartAndAFileChangeReplacesOnlyTheFilesKeys() throws Exception {
        proxy.close();
        Path secrets = Files.createDirectory(dir.resolve("..data"));
        Files.writeString(secrets.resolve("keys"), K1 + "\n");
        Path linked = Files.createSymbolicLink(dir.resolve("secret-keys"), Path.of("..data/keys"));
        start(Map.of("keysFile", linked.toString()));

        HttpResponse<String> added = add("text/plain", NEW + "\n\n");
        assertThat(json(added).getBoolean("persisted")).isFalse();
        assertThat(Files.readString(secrets.resolve("keys"))).isEqualTo(K1 + "\n");
        assertThat(json(send("GET", "keys?route=openai", null, null, null)).getJsonArray("keys").getJsonObject(1)
                .getString("source")).isEqualTo("api");

        Files.writeString(secrets.resolve("keys"), K2 + "\n");
        await().atMost(Duration.ofSeconds(2)).until(() -> fingerprints().get(0).equals(KeyFingerprint.of(K2)));
        assertThat(fingerprints()).containsExactly(KeyFingerprint.of(K2), KeyFingerprint.of(NEW));
    }

    @Test
    void aDeployTimeKeyCanBeDisabledButNotRemoved() throws Exception {
        proxy.close();
        start(Map.of("keys", K1 + "," + K2));
        String first = KeyFingerprint.of(K1);

        assertThat(send("DELETE", "keys/" + first + "?route=openai", BEARER, null, null).statusCode()).isEqualTo(409);
        assertThat(send("POST", "keys/" + first + "/disable?route=openai", BEARER, null, null).statusCode())
                .isEqualTo(200);
        assertThat(proxy.route().pool().snapshot().get(0).state()).isEqualTo(KeyState.DISABLED);
        client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(upstream.keysSeen()).containsExactly(K2);

        assertThat(send("POST", "keys/" + first + "/enable?route=openai", BEARER, null, null).statusCode())
                .isEqualTo(200);
        assertThat(proxy.route().pool().snapshot().get(0).state()).isEqualTo(KeyState.VALID);
        assertThat(send("POST", "keys/0123456789abcdef/reset?route=openai", BEARER, null, null).statusCode())
                .isEqualTo(404);
    }

    /** §6: a pool dry because an administrator disabled keys says so, not that every key failed authentication. */
    @Test
    void aPoolDryBecauseAnAdministratorDisabledKeysSaysSo() throws Exception {
        Files.writeString(file, K1 + "\n" + K2 + "\n" + REVOKED + "\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> fingerprints().size() == 3);
        for (String key : List.of(K1, K2)) {
            assertThat(send("POST", "keys/" + KeyFingerprint.of(key) + "/disable?route=openai", BEARER, null, null)
                    .statusCode()).isEqualTo(200);
        }

        HttpResponse<String> mixed = chat();
        send("POST", "keys/" + KeyFingerprint.of(REVOKED) + "/disable?route=openai", BEARER, null, null);
        HttpResponse<String> allByTheAdministrator = chat();

        assertThat(mixed.statusCode()).isEqualTo(502);
        assertThat(json(mixed).getJsonObject("error").getString("message"))
                .isEqualTo("openai: every key is disabled: 2 by an administrator, 1 failed authentication");
        assertThat(json(mixed).getJsonObject("error").getString("type")).isEqualTo("api_error");
        assertThat(allByTheAdministrator.statusCode()).isEqualTo(502);
        assertThat(json(allByTheAdministrator).getJsonObject("error").getString("message"))
                .isEqualTo("openai: every key is disabled: 3 by an administrator");
        // The WARN says what the client was told; the second is of the same kind, so throttled (§8).
        assertThat(CapturedLogs.events()).map(CapturedLogs.Event::message)
                .filteredOn(line -> line.contains("no key left after")).containsExactly("openai: no key left after "
                        + "1 attempt(s): every key is disabled: 2 by an administrator, 1 failed authentication "
                        + "(AUTHENTICATION_FAILED, retry after 0 ms)");
    }

    private HttpResponse<String> chat() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        answers.add(response.body());
        return response;
    }

    /** §13: an action is a POST or a DELETE; one asked for with GET is refused as a method the resource does not allow. */
    @Test
    void anActionAskedForWithGetIsAMethodNotAllowed() throws Exception {
        HttpResponse<String> disable = send("GET", "keys/" + KeyFingerprint.of(K1) + "/disable?route=openai", BEARER,
                null, null);
        HttpResponse<String> remove = send("GET", "keys/" + KeyFingerprint.of(K1) + "?route=openai", BEARER, null, null);

        assertThat(disable.statusCode()).isEqualTo(405);
        assertThat(disable.headers().firstValue("Allow")).hasValue("POST, DELETE");
        assertThat(json(disable).getJsonObject("error").getString("message")).contains("POST");
        assertThat(remove.statusCode()).isEqualTo(405);
        assertThat(proxy.route().pool().snapshot().get(0).state()).isEqualTo(KeyState.VALID);
    }

    /** §14: a method the admin API does not serve is a 405 that says what it serves, in the API's JSON, with Allow. */
    @Test
    void aMethodTheAdminApiDoesNotServeIsAMethodNotAllowedInItsJson() throws Exception {
        HttpResponse<String> put = send("PUT", "keys?route=openai", BEARER, "application/json",
                "{\"keys\":[{\"key\":\"" + NEW + "\"}]}");
        HttpResponse<String> patch = send("PATCH", "keys/" + KeyFingerprint.of(K1) + "?route=openai", BEARER, null, null);

        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(put.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
        assertThat(json(put).getJsonObject("error").getString("message")).startsWith("PUT is not served here")
                .contains("POST keys?route=<route> adds");
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(patch.headers().firstValue("Allow")).hasValue("POST, DELETE");
        assertThat(json(patch).getJsonObject("error").getString("message")).startsWith("PATCH is not served here");
        assertThat(fingerprints()).containsExactly(KeyFingerprint.of(K1), KeyFingerprint.of(K2));
    }

    @Test
    void aMissingOrMistypedRouteIsAnsweredWithTheRoutesThatHaveAPool() throws Exception {
        HttpResponse<String> missing = send("GET", "keys", null, null, null);
        HttpResponse<String> mistyped = send("POST", "keys/" + KeyFingerprint.of(K1) + "/disable?route=opneai", BEARER,
                null, null);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).getJsonObject("error").getString("message"))
                .isEqualTo("the parameter route is missing (?route=<route>); routes with a key pool: openai");
        assertThat(mistyped.statusCode()).isEqualTo(404);
        assertThat(json(mistyped).getJsonObject("error").getString("message"))
                .isEqualTo("no route with a key pool is named 'opneai'; routes with a key pool: openai");
    }

    /** An administrator who pastes the key itself where its fingerprint belongs: refused, the key in no answer or log line. */
    @Test
    void aKeyGivenWhereItsFingerprintBelongsIsRefusedWithoutEchoingIt() throws Exception {
        HttpResponse<String> removed = send("DELETE", "keys/" + K2 + "?route=openai", BEARER, null, null);
        HttpResponse<String> disabled = send("POST", "keys/" + K1 + "/disable?route=openai", BEARER, null, null);

        assertThat(removed.statusCode()).isEqualTo(404);
        assertThat(removed.body()).contains("not a fingerprint", "sk-a…0002").doesNotContain(K2);
        assertThat(disabled.statusCode()).isEqualTo(404);
        assertThat(CapturedLogs.allText()).contains("remove of key sk-a…0002", "disable of key sk-a…0001")
                .doesNotContain(K1).doesNotContain(K2);
        assertThat(fingerprints()).hasSize(2);
    }

    @Test
    void theLastKeyOfAPoolIsNotRemoved() throws Exception {
        assertThat(send("DELETE", "keys/" + KeyFingerprint.of(K1) + "?route=openai", BEARER, null, null).statusCode())
                .isEqualTo(200);
        HttpResponse<String> last = send("DELETE", "keys/" + KeyFingerprint.of(K2) + "?route=openai", BEARER, null,
                null);

        assertThat(last.statusCode()).isEqualTo(409);
        assertThat(last.body()).contains("last key");
        assertThat(fingerprints()).containsExactly(KeyFingerprint.of(K2));
        assertThat(Files.readAllLines(file)).containsExactly(K2);
    }

    @Test
    void testProbesTheKeyNowAndAnswersTheUpstreamStatus() throws Exception {
        add("application/json", "{\"keys\":[{\"key\":\"" + REVOKED + "\"}]}");

        HttpResponse<String> tested = send("POST", "keys/" + KeyFingerprint.of(REVOKED) + "/test?route=openai", BEARER,
                null, null);

        assertThat(tested.statusCode()).isEqualTo(200);
        assertThat(json(tested).getInt("status")).isEqualTo(401);
        assertThat(upstream.keysSeen()).containsExactly(REVOKED);
        assertThat(json(send("POST", "keys/" + KeyFingerprint.of(K1) + "/test?route=openai", BEARER, null, null))
                .getInt("status")).isEqualTo(200);
    }

    @Test
    void hostileBodiesAreRefusedNamingTheProblemNeverTheKey() throws Exception {
        assertThat(statusOfTenMebibytesDeclared()).isEqualTo(413);
        HttpResponse<String> malformed = add("application/json", "{\"keys\":[{\"key\":\"" + NEW + "\"");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("not valid JSON");
        assertThat(add("application/json", "{\"keys\":{}}").body()).contains("must be {");
        HttpResponse<String> spaced = add("application/json", "{\"keys\":[{\"key\":\"sk-a b-0000000000\"}]}");
        assertThat(spaced.statusCode()).isEqualTo(400);
        assertThat(spaced.body()).contains("keys[0]", "whitespace").doesNotContain("sk-a");
        HttpResponse<String> control = add("text/plain", K1 + "\nsk-ctl\u0007-00000000\n");
        assertThat(control.statusCode()).isEqualTo(400);
        assertThat(control.body()).contains("line 2", "control character").doesNotContain("sk-ctl");
        assertThat(fingerprints()).hasSize(2);
    }

    @Test
    void tenThousandKeysInOneAddAreAccepted() throws Exception {
        StringBuilder body = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":\"sk-bulk-").append(String.format("%040d", i)).append("\"}");
        }
        HttpResponse<String> added = add("application/json", body.append("]}").toString());

        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(json(added).getJsonArray("added")).hasSize(10_000);
        assertThat(fingerprints()).hasSize(10_002);
        assertThat(Files.readAllLines(file)).hasSize(10_002);
    }
}
