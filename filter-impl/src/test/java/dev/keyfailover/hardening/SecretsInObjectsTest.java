package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.pool.KeyWalk;
import dev.keyfailover.servlet.ProxyRoute;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import org.junit.jupiter.api.Test;

/** The objects of a running route, the exceptions of a failing one, and JMX: masked hints only. */
class SecretsInObjectsTest {

    @Test
    void theToStringOfEveryObjectOfARouteThatHasServedShowsNoKey() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on(Secrets.LIMITED, FakeUpstream.rateLimited("30")).on(Secrets.REVOKED, FakeUpstream.status(401))
                    .on(Secrets.REFUSED, FakeUpstream.status(403)).on(Secrets.GOOD, FakeUpstream.ok("{}"));
            try (ProxyServer proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), Secrets.POOL_PARAM, null))) {
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/models")).build(),
                        HttpResponse.BodyHandlers.discarding());
                ProxyRoute route = proxy.route();
                KeyWalk walk = route.pool().walk(null);
                walk.next();

                Set<Object> ours = ObjectGraph.ours(route, walk, route.pool().snapshot(),
                        new ProviderSettings("openai", upstream.baseUri(), Map.of("byok", "deny")),
                        new KeyPoolExhaustion("openai", KeyPoolExhaustion.Kind.RATE_LIMITED, Duration.ofSeconds(3)));

                assertThat(ours).as("objects of ours found").hasSizeGreaterThan(10);
                assertThat(ours).extracting(object -> object.getClass().getSimpleName())
                        .contains("ProxyRoute", "ProviderClient", "KeyPool", "Key", "KeyWalk", "KeySnapshot");
                for (Object object : ours) {
                    Secrets.assertNoKeyIn("toString() of " + object.getClass().getName(), String.valueOf(object),
                            Secrets.POOL);
                }
            }
        }
    }

    @Test
    void aRouteThatCannotStartSaysWhyWithoutTheKey() throws Exception {
        for (Map<String, String> broken : java.util.List.of(
                Routes.openai(java.net.URI.create("http://127.0.0.1:1"), Secrets.GOOD + "," + Secrets.GOOD, null),
                Routes.openai(java.net.URI.create("http://127.0.0.1:1"), Secrets.GOOD + ",," + Secrets.LIMITED, null),
                Routes.openai(java.net.URI.create("http://127.0.0.1:1"), Secrets.POOL_PARAM, null, "provider", "nope"),
                Routes.openai(java.net.URI.create("http://127.0.0.1:1"), Secrets.POOL_PARAM, null, "maxBodyBytes", "x"))) {
            Throwable failure = null;
            try (ProxyServer ignored = ProxyServer.servlet(broken)) {
                // started: not expected
            } catch (Exception e) {
                failure = e;
            }
            assertThat(failure).as("a broken route must not start: " + broken.keySet()).isNotNull();
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            Secrets.assertNoKeyIn("the start failure", trace.toString(), Secrets.POOL);
        }
    }

    /** The product registers no MBean of its own; this reads every attribute of every one the JVM and the container have. */
    @Test
    void noMBeanAttributeShowsAKey() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             ProxyServer proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), Secrets.POOL_PARAM, null));
             ProxyServer gemini = ProxyServer.servlet(Routes.openai(upstream.baseUri(), Secrets.POOL_PARAM, null,
                     "provider", "gemini", "byok", "deny"))) {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(gemini.uri("/app/openai/v1beta/models/gemini-2.5-flash"
                    + ":generateContent?key=" + Secrets.CLIENTS_QUERY)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.discarding());
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            StringBuilder all = new StringBuilder();
            for (ObjectName name : server.queryNames(null, null)) {
                for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                    try {
                        all.append(name).append(' ').append(attribute.getName()).append('=')
                                .append(server.getAttribute(name, attribute.getName())).append('\n');
                    } catch (Exception | Error unreadable) {
                        // some attributes are unsupported on this JVM
                    }
                }
            }
            assertThat(all).contains("java.lang:type=Runtime");
            Secrets.assertNoKeyIn("JMX", all.toString(), java.util.List.of(Secrets.LIMITED, Secrets.REVOKED,
                    Secrets.REFUSED, Secrets.GOOD, Secrets.CLIENTS_QUERY));
        }
    }
}
