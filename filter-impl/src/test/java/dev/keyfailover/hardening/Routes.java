package dev.keyfailover.hardening;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Init-params of the route under attack: small memory threshold, so any body spills to the test's directory. */
final class Routes {

    private Routes() {
    }

    static Map<String, String> openai(URI baseUrl, String keys, Path spillDir, String... more) {
        Map<String, String> params = new HashMap<>();
        params.put("provider", "openai");
        params.put("baseUrl", baseUrl.toString());
        if (keys != null) {
            params.put("keys", keys);
        }
        if (spillDir != null) {
            params.put("spillDir", spillDir.toString());
            params.put("memoryThreshold", "1KiB");
        }
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        return params;
    }
}
