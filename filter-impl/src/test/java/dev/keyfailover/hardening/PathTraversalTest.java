package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Paths built to leave the provider's base URL, or to reach another host, never do. */
class PathTraversalTest {

    /** Request targets; {@code EVIL} is replaced by the authority of a second server that must see nothing. */
    static final List<String> TARGETS = List.of(
            "/app/openai/../x",
            "/app/openai/v1/../../x",
            "/app/openai/v1/%2e%2e/%2e%2e/x",
            "/app/openai/v1/%2E%2E/x",
            "/app/openai/v1/.%2e/x",
            "/app/openai/v1/%2e./x",
            "/app/openai/v1/..%2f..%2fx",
            "/app/openai/v1/%2f..%2f..%2fx",
            "/app/openai/v1/%5c..%5c..%5cx",
            "/app/openai/v1/..;/x",
            "/app/openai/v1/..;jsessionid=1/x",
            "/app/openai/v1/%252e%252e/x",
            "/app/openai/v1/./x",
            "/app/openai/%2e",
            "/app/openai//EVIL/x",
            "/app/openai///EVIL/x",
            "/app/openai/%2fEVIL/x",
            "/app/openai/%2f%2fEVIL/x",
            "/app/openai/@EVIL/x",
            "/app/openai/:@EVIL/x",
            "/app/openai/v1/%00/x",
            "/app/openai/v1/%0d%0aX-Injected:%20yes",
            "http://EVIL/app/openai/v1/models",
            "http://EVIL//app/openai/v1/models",
            "/app/openai/http://EVIL/x",
            "/app/openai/\\\\EVIL/x");

    private final FakeUpstream upstream = FakeUpstream.start().otherwise(FakeUpstream.ok("{}"));
    private final FakeUpstream evil = FakeUpstream.start().otherwise(FakeUpstream.ok("{\"evil\":true}"));

    @AfterEach
    void stop() {
        upstream.close();
        evil.close();
    }

    static String target(String template, FakeUpstream evil) {
        return template.replace("EVIL", evil.baseUri().getAuthority());
    }

    @Test
    void noTraversalReachesAnotherHostOrAPathOutsideABaseUrlWithAPath() throws Exception {
        attack("/base", false);
    }

    @Test
    void noTraversalReachesAnotherHostFromABaseUrlWithoutAPath() throws Exception {
        attack("", false);
    }

    @Test
    void onALenientContainerNoTraversalLeavesABaseUrlWithAPath() throws Exception {
        attack("/base", true);
    }

    @Test
    void onALenientContainerNoTraversalReachesAnotherHostFromABaseUrlWithoutAPath() throws Exception {
        attack("", true);
    }

    @Test
    void behindTheFilterOnALenientContainerNoTraversalLeavesTheBaseUrl() throws Exception {
        Map<String, String> params = Routes.openai(upstream.baseUri().resolve("/base"), "sk-pool-0000000000001", null,
                "pathPrefix", "/openai");
        try (ProxyServer proxy = ProxyServer.lenientFilter(params)) {
            attack(proxy, "/base");
        }
        params.put("baseUrl", upstream.baseUri().toString());
        try (ProxyServer proxy = ProxyServer.lenientFilter(params)) {
            attack(proxy, "");
        }
    }

    private void attack(String basePath, boolean lenient) throws Exception {
        Map<String, String> params = Routes.openai(upstream.baseUri().resolve(basePath.isEmpty() ? "/" : basePath),
                "sk-pool-0000000000001", null);
        try (ProxyServer proxy = lenient ? ProxyServer.lenientServlet(params) : ProxyServer.servlet(params)) {
            attack(proxy, basePath);
        }
    }

    private void attack(ProxyServer proxy, String basePath) throws Exception {
        {
            for (String template : TARGETS) {
                upstream.clearRequests();
                String target = target(template, evil);

                String answer = RawHttp.exchange(proxy.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n");

                assertThat(answer).as(target).startsWith("HTTP/1.1 ").doesNotContain("\"evil\"");
                assertThat(evil.requests()).as(target + " reached another host").isEmpty();
                UpstreamView.assertConfined(upstream, basePath, target);
            }
        }
    }
}
