package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.keyfailover.pool.KeyHint;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §11 on the packaged WAR, deployed on an embedded Jetty as a newcomer would: after a
 * scripted run, {@code /metrics} is scraped over HTTP and parsed; then the WAR is deployed again in
 * the same JVM and its meters start from zero.
 */
class MetricsWarIT {

    private static final String CHAT = "/openai/v1/chat/completions";
    private static final String OWN_KEY = "sk-my-own-key-1234567890";
    private static final String[] OPENAI = DemoMode.OPENAI_KEYS;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Server server;
    private ServerConnector connector;
    private Handler.Sequence contexts;

    @BeforeEach
    void startJetty() throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        contexts = new Handler.Sequence();
        server.setHandler(contexts);
        server.start();
    }

    @AfterEach
    void stopJetty() throws Exception {
        server.stop();
    }

    private WebAppContext deploy() throws Exception {
        Path war = Path.of(System.getProperty("example.war"));
        WebAppContext webapp = new WebAppContext(war.toString(), "/");
        webapp.setTempDirectory(Files.createTempDirectory("example-war").toFile());
        contexts.addHandler(webapp);
        webapp.start();
        assertThat(webapp.isAvailable()).as("webapp started").isTrue();
        return webapp;
    }

    private void undeploy(WebAppContext webapp) throws Exception {
        webapp.stop();
        contexts.removeHandler(webapp);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    private int chat(String model) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(CHAT)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A scrape once {@code requests} requests of openai are counted (a request is counted just after its answer). */
    /** The scrape once it counts {@code requests} (a request is counted after its answer is written). */
    private Scrape scrapeAfter(int requests) throws Exception {
        Scrape[] last = new Scrape[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .pollInterval(java.time.Duration.ofMillis(20)).until(() -> {
                    HttpResponse<String> response = get("/metrics");
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                            type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
                    last[0] = Scrape.parse(response.body());
                    return last[0].sum("keyfailover_requests_total", "provider", "openai") >= requests;
                });
        return last[0];
    }

    private static String hint(int index) {
        return KeyHint.of(OPENAI[index]);
    }

    /** The hint of the demo key that plays this part ({@code ratelimited}, {@code revoked}, … see DemoUpstreamServlet). */
    private static String hint(String part) {
        for (String key : OPENAI) {
            if (key.contains(part)) {
                return KeyHint.of(key);
            }
        }
        throw new IllegalArgumentException("no demo key " + part);
    }

    @Test
    void aScriptedRunIsCountedOnceEachAndASecondDeploymentStartsFromZero() throws Exception {
        WebAppContext first = deploy();

        assertThat(chat("gpt-4o-mini")).as("failover past the 429 and the 401 demo keys").isEqualTo(200);
        assertThat(chat(DemoFaults.HANG_UP_MODEL)).as("upstream hangs up: a transport failure").isEqualTo(502);
        assertThat(chat(DemoUpstreamServlet.RATE_LIMITED_MODEL)).as("every key rate-limited: exhaustion")
                .isEqualTo(429);
        assertThat(client.send(HttpRequest.newBuilder(uri("/openai/v1/models")).header("Authorization", "Bearer " + OWN_KEY)
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("BYOK").isEqualTo(200);
        Scrape scrape = scrapeAfter(4);

        assertRequests(scrape, Map.of("served", 1, "byok", 1, "exhausted", 1, "proxy_error", 1, "client_error", 0));
        // 1st: ratelimited 429, revoked 401, noquota out of quota, busy4o serves (not gpt-4o). 2nd: ratelimited,
        // usable for another model, hangs up. 3rd: every key not out of service answers 429 for that model.
        assertAttempts(scrape, Map.of(
                hint("ratelimited") + " rate_limited", 2, hint("ratelimited") + " transport", 1,
                hint("revoked") + " unauthorized", 1,
                hint("noquota") + " quota", 1,
                hint("busy4o") + " ok", 1, hint("busy4o") + " rate_limited", 1,
                hint("countdown") + " rate_limited", 1,
                hint("good") + " rate_limited", 1));
        assertTransitions(scrape, Map.of(hint("ratelimited") + " cooling", 2, hint("revoked") + " disabled", 1,
                hint("noquota") + " exhausted", 1, hint("busy4o") + " cooling", 1, hint("countdown") + " cooling", 1,
                hint("good") + " cooling", 1));
        assertThat(scrape.value("keyfailover_exhaustions_total", "provider", "openai", "kind", "rate_limited")).isEqualTo(1);
        assertThat(scrape.sum("keyfailover_exhaustions_total", "provider", "openai")).isEqualTo(1);
        assertThat(scrape.value("keyfailover_upstream_duration_seconds_count", "provider", "openai", "outcome", "ok"))
                .as("the pool key's answer and the BYOK one").isEqualTo(2);
        assertThat(scrape.value("keyfailover_upstream_duration_seconds_count", "provider", "openai", "outcome",
                "rate_limited")).isEqualTo(5);
        assertThat(scrape.value("keyfailover_upstream_duration_seconds_count", "provider", "openai", "outcome",
                "unauthorized")).isEqualTo(1);
        assertThat(scrape.value("keyfailover_upstream_duration_seconds_count", "provider", "openai", "outcome",
                "quota")).isEqualTo(1);
        assertThat(scrape.value("keyfailover_upstream_duration_seconds_count", "provider", "openai", "outcome",
                "transport")).isEqualTo(1);
        assertThat(scrape.sum("keyfailover_upstream_duration_seconds_sum", "provider", "openai")).isPositive();
        assertThat(scrape.sum("keyfailover_requests_total", "provider", "anthropic")).as("untouched route").isZero();

        assertTheStateGaugeMatchesTheStatusPage(scrape);
        assertNoWholeKeyIn(scrape);
        assertTheAlertRulesNameOnlyWhatIsScraped(scrape);
        assertThat(get("/status").body()).contains("<a class=\"metrics\" href=\"metrics\">");

        undeploy(first);
        deploy();

        Scrape fresh = scrapeAfter(0);
        for (String counter : List.of("keyfailover_requests_total", "keyfailover_attempts_total",
                "keyfailover_exhaustions_total", "keyfailover_key_transitions_total",
                "keyfailover_upstream_duration_seconds_count")) {
            assertThat(fresh.find(counter)).as(counter).isNotEmpty();
            assertThat(fresh.sum(counter)).as(counter + " after a redeployment").isZero();
        }
        assertThat(fresh.value("keyfailover_keys", "provider", "openai", "state", "VALID")).isEqualTo(OPENAI.length);
        assertThat(chat("gpt-4o-mini")).isEqualTo(200);
        Scrape again = scrapeAfter(1);
        assertThat(again.value("keyfailover_requests_total", "provider", "openai", "outcome", "served")).isEqualTo(1);
        assertThat(again.value("keyfailover_key_transitions_total", "provider", "openai", "key", hint("ratelimited"),
                "to", "cooling")).isEqualTo(1);
    }

    private static void assertRequests(Scrape scrape, Map<String, Integer> expected) {
        for (Map.Entry<String, Integer> outcome : expected.entrySet()) {
            assertThat(scrape.value("keyfailover_requests_total", "provider", "openai", "outcome", outcome.getKey()))
                    .as("requests %s", outcome.getKey()).isEqualTo(outcome.getValue().doubleValue());
        }
        assertThat(scrape.sum("keyfailover_requests_total", "provider", "openai")).isEqualTo(4);
    }

    /** Every (key, outcome) of openai: the expected ones as given, all others zero. */
    private static void assertAttempts(Scrape scrape, Map<String, Integer> expected) {
        assertPerKey(scrape, "keyfailover_attempts_total", "outcome", expected,
                List.of("ok", "rate_limited", "unauthorized", "forbidden", "quota", "passed", "transport"));
    }

    private static void assertTransitions(Scrape scrape, Map<String, Integer> expected) {
        assertPerKey(scrape, "keyfailover_key_transitions_total", "to", expected,
                List.of("cooling", "disabled", "exhausted", "valid"));
    }

    private static void assertPerKey(Scrape scrape, String name, String label, Map<String, Integer> expected,
                                     List<String> values) {
        for (int index = 0; index < OPENAI.length; index++) {
            for (String value : values) {
                int want = expected.getOrDefault(hint(index) + " " + value, 0);
                assertThat(scrape.value(name, "provider", "openai", "key", hint(index), label, value))
                        .as("%s key %s %s %s", name, hint(index), label, value).isEqualTo(want);
            }
        }
    }

    private void assertTheStateGaugeMatchesTheStatusPage(Scrape scrape) throws Exception {
        JsonObject status = Json.createReader(new StringReader(get("/status.json").body())).readObject();
        for (JsonValue value : status.getJsonArray("providers")) {
            JsonObject provider = value.asJsonObject();
            for (String state : List.of("VALID", "COOLING", "DISABLED", "EXHAUSTED")) {
                long keys = provider.getJsonArray("keys").stream()
                        .filter(key -> key.asJsonObject().getString("state").equals(state)).count();
                assertThat(scrape.value("keyfailover_keys", "provider", provider.getString("name"), "state", state))
                        .as("%s keys %s", provider.getString("name"), state).isEqualTo(keys);
            }
        }
        assertThat(scrape.value("keyfailover_keys", "provider", "openai", "state", "DISABLED")).isEqualTo(1);
        assertThat(scrape.value("keyfailover_keys", "provider", "openai", "state", "EXHAUSTED")).isEqualTo(1);
        assertThat(scrape.value("keyfailover_keys", "provider", "openai", "state", "VALID"))
                .as("keys cooling for some models only are VALID").isEqualTo(OPENAI.length - 2);
    }

    private static void assertNoWholeKeyIn(Scrape scrape) {
        List<String> secrets = new ArrayList<>(List.of(DemoMode.OPENAI_KEYS));
        secrets.addAll(List.of(DemoMode.ANTHROPIC_KEYS));
        secrets.addAll(List.of(ProviderRoutes.GEMINI_KEYS));
        secrets.add(OWN_KEY);
        for (String secret : secrets) {
            assertThat(scrape.text()).doesNotContain(secret).doesNotContain(secret.substring(0, 12));
        }
        Set<String> keyLabels = new TreeSet<>();
        scrape.samples().forEach(sample -> {
            if (sample.labels().containsKey("key")) {
                keyLabels.add(sample.labels().get("key"));
            }
        });
        assertThat(keyLabels).hasSize(OPENAI.length + DemoMode.ANTHROPIC_KEYS.length + ProviderRoutes.GEMINI_KEYS.length)
                .allSatisfy(key -> assertThat(key).contains("…").hasSizeLessThanOrEqualTo(9));
    }

    private static void assertTheAlertRulesNameOnlyWhatIsScraped(Scrape scrape) throws Exception {
        Set<String> scraped = new TreeSet<>();
        scrape.samples().forEach(sample -> scraped.add(sample.name()));
        for (Map<String, Object> rule : AlertRules.rules(AlertRules.load())) {
            assertThat(AlertRules.metricNames((String) rule.get("expr"))).as("metrics of %s", rule.get("alert"))
                    .isSubsetOf(scraped);
        }
    }
}
