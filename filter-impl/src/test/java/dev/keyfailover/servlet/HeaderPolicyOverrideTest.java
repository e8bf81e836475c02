package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;

import dev.keyfailover.api.Provider;
import dev.keyfailover.chain.ExchangeView;
import dev.keyfailover.chain.HeaderPolicy;
import dev.keyfailover.config.RouteConfig;
import dev.keyfailover.testing.FakeUpstream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** behaviour.md §8: a rule of the header policy is changed the way Jetty's proxy servlet is, by overriding. */
class HeaderPolicyOverrideTest {

    private static final String KEY = "sk-policy-override-0000000001";

    /** A deployment's own rule: its upstream's internal tracing header never reaches clients. */
    public static final class NoInternalHeadersServlet extends KeyFailoverServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected HeaderPolicy headerPolicy(Provider provider, RouteConfig config) {
            HeaderPolicy standard = super.headerPolicy(provider, config);
            return new HeaderPolicy(provider, config.byokAllowed(), config.clientAuthHeaders(),
                    config.dropResponseHeaders().orElseGet(provider::accountHeaders), config.exposeKeyHint()) {
                @Override
                public boolean copiesResponseHeader(String name, Set<String> hopByHop, ExchangeView exchange) {
                    return !name.startsWith("x-internal-") && standard.copiesResponseHeader(name, hopByHop, exchange);
                }
            };
        }
    }

    private final FakeUpstream upstream = FakeUpstream.start();
    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        upstream.close();
    }

    @Test
    void aSubclassOfTheServletChangesOneHeaderRuleAndKeepsTheOthers() throws Exception {
        upstream.on(KEY, FakeUpstream.ok("{}").withHeader("X-Internal-Trace", "node-7")
                .withHeader("openai-organization", "org-secret").withHeader("X-Request-Id", "req-1"));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder proxy = new ServletHolder("openai", new NoInternalHeadersServlet());
        proxy.setInitParameter("provider", "openai");
        proxy.setInitParameter("baseUrl", upstream.baseUri().toString());
        proxy.setInitParameter("keys", KEY);
        proxy.setInitOrder(1);
        context.addServlet(proxy, "/openai/*");
        server.setHandler(context);
        server.start();

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/openai/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Internal-Trace")).isEmpty();
        assertThat(response.headers().firstValue("openai-organization")).as("the standard rules still apply").isEmpty();
        assertThat(response.headers().firstValue("X-Request-Id")).contains("req-1");
    }
}
