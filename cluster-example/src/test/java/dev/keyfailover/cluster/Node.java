package dev.keyfailover.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One proxy node: the packaged cluster WAR at the root context of an embedded Jetty 12 of its
 * own, on 127.0.0.1 and a free port, configured by the failsafe run's environment and by the
 * context init params given (its cluster settings).
 */
final class Node {

    static final String MODEL = "gpt-cluster-it";

    private final String name;
    private final Server server;
    private final WebAppContext webapp;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Node(String name, Server server, WebAppContext webapp, int port) {
        this.name = name;
        this.server = server;
        this.webapp = webapp;
        this.port = port;
    }

    /** The WAR the build made ({@code cluster.war}). */
    static Path war() {
        Path war = Path.of(System.getProperty("cluster.war"));
        assertThat(war).exists();
        return war;
    }

    /** The ports the build reserved for Hazelcast ({@code cluster.ports}). */
    static List<Integer> clusterPorts() {
        return Arrays.stream(System.getProperty("cluster.ports").split(",")).map(Integer::valueOf).toList();
    }

    /** Deploys the WAR; a deployment that fails throws what stopped it. */
    static Node start(String name, Map<String, String> contextParams) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext(war().toAbsolutePath().toString(), "/");
        webapp.setTempDirectory(Files.createTempDirectory("cluster-war-" + name).toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        contextParams.forEach(webapp::setInitParameter);
        server.setHandler(webapp);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        assertThat(webapp.isAvailable()).as("node %s started", name).isTrue();
        return new Node(name, server, webapp, connector.getLocalPort());
    }

    String name() {
        return name;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> chat() throws Exception {
        return chat(MODEL);
    }

    HttpResponse<String> chat(String model) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/openai/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String statusText() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/status.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The openai route of /status.json. */
    JsonObject openAiStatus() throws Exception {
        try (JsonReader reader = Json.createReader(new StringReader(statusText()))) {
            return reader.readObject().getJsonArray("providers").getValuesAs(JsonObject.class).stream()
                    .filter(provider -> provider.getString("name").equals("openai")).findFirst().orElseThrow();
        }
    }

    /** The key at {@code index} of the openai pool, as /status.json shows it. */
    JsonObject key(int index) throws Exception {
        return openAiStatus().getJsonArray("keys").getJsonObject(index);
    }

    /** Whether the key at {@code index} is cooling for {@link #MODEL}, as /status.json shows it. */
    boolean coolsForTheModel(int index) throws Exception {
        return coolsFor(index, MODEL);
    }

    boolean coolsFor(int index, String model) throws Exception {
        return key(index).getJsonArray("models").getValuesAs(JsonObject.class).stream()
                .anyMatch(entry -> entry.getString("model").equals(model)
                        && entry.getJsonNumber("cooldownRemainingMs").longValue() > 0);
    }

    /** Whether the openai route's key states are on the cluster's cache just now, as /status.json shows it. */
    boolean openAiStoreReachable() throws Exception {
        return openAiStatus().getJsonObject("stateStore").getBoolean("reachable");
    }

    /** An admin API call on the openai route (behaviour.md §14), with the run's {@code KEYFAILOVER_ADMIN_TOKEN}. */
    HttpResponse<String> admin(String method, String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/admin/" + path + "?route=openai"))
                .header("Authorization", "Bearer " + System.getenv("KEYFAILOVER_ADMIN_TOKEN"))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The administrator's reset of the openai key at {@code index} (behaviour.md §1), with the run's admin token. */
    HttpResponse<String> resetKey(int index) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/status.json?provider=openai&key=" + index))
                .header("Authorization", "Bearer " + System.getenv("KEYFAILOVER_ADMIN_TOKEN"))
                .header("X-Keyfailover-Action", "reset")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The openai route's keys as the admin API lists them: fingerprint, then whether an administrator disabled it. */
    List<String> adminKeys() throws Exception {
        HttpResponse<String> list = client.send(HttpRequest.newBuilder(uri("/admin/keys?route=openai")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        try (JsonReader reader = Json.createReader(new StringReader(list.body()))) {
            return reader.readObject().getJsonArray("keys").getValuesAs(JsonObject.class).stream()
                    .map(key -> key.getString("fingerprint") + (key.getBoolean("adminDisabled") ? " disabled" : ""))
                    .toList();
        }
    }

    /**
     * Every entry of the node's state cache as {@code key=value} lines, read through the cache
     * manager the node's routes use (by reflection: its classes are the WAR's own).
     */
    String stateCacheText() throws Exception {
        Object manager = webapp.getServletContext().getAttribute("dev.keyfailover.cacheManager");
        Object cache = manager.getClass().getMethod("getCache", String.class).invoke(manager, "keyfailover-state");
        StringBuilder text = new StringBuilder();
        for (Object entry : (Iterable<?>) cache) {
            java.lang.reflect.Method key = entry.getClass().getMethod("getKey");
            java.lang.reflect.Method value = entry.getClass().getMethod("getValue");
            key.setAccessible(true);
            value.setAccessible(true);
            text.append(key.invoke(entry)).append('=').append(value.invoke(entry)).append('\n');
        }
        return text.toString();
    }

    void stop() throws Exception {
        server.stop();
    }

    @Override
    public String toString() {
        return "node " + name;
    }
}
