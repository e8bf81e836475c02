package dev.keyfailover.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.json.JsonObject;

/** GETs to the control endpoints of the child JVMs on 127.0.0.1 ({@code /__stats}, {@code /mem}, ...). */
final class LocalHttp {

    private LocalHttp() {
    }

    static String get(int port, String path) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        conn.setConnectTimeout(2000);
        conn.setReadTimeout(30000);
        try (var in = conn.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            conn.disconnect();
        }
    }

    static JsonObject getJson(int port, String path) throws IOException {
        return JsonResults.parse(get(port, path));
    }
}
