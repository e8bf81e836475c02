package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3: every invalid configuration value stops the servlet or filter with a message naming it,
 * the parameter and the problem, never a key; on embedded Jetty 12 (ee10).
 *
 * <p>Both adapters throw a plain {@link ServletException}: Jetty 12.1 then fails the whole
 * context ({@code server.start()} throws). A permanent {@code UnavailableException} would only
 * leave the servlet unavailable (404) in a running context, which hides the mistake.
 */
class ConfigurationErrorsTest {

    private static final String KEY_1 = "sk-test-SECRET-KEY-0001";
    private static final String KEY_2 = "sk-test-SECRET-KEY-0002";

    private Server server;
    private ServletContextHandler context;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private static Map<String, String> params(String... namesAndValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return params;
    }

    private void newServer() {
        server = new Server(0);
        context = new ServletContextHandler("/");
        server.setHandler(context);
    }

    private ServletHolder addServlet(String name, Map<String, String> initParams) {
        ServletHolder holder = new ServletHolder(name, KeyFailoverServlet.class);
        initParams.forEach(holder::setInitParameter);
        holder.setInitOrder(1);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/" + name + "/*");
        return holder;
    }

    private FilterHolder addFilter(String name, Map<String, String> initParams) {
        FilterHolder holder = new FilterHolder(KeyFailoverFilter.class);
        holder.setName(name);
        initParams.forEach(holder::setInitParameter);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        return holder;
    }

    private int get(String path) throws IOException, InterruptedException {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        HttpResponse<Void> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }

    private static Map<String, String> valid() {
        return params("provider", "openai", "baseUrl", "http://127.0.0.1:9/v1", "keys", KEY_1 + "," + KEY_2);
    }

    static Stream<Arguments> misconfiguredServlets() {
        return Stream.of(
                Arguments.of("unknown provider type",
                        params("provider", "no-such-provider", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1),
                        "'provider'", List.of("unknown type 'no-such-provider'", "openai", "anthropic", "generic")),
                Arguments.of("missing provider",
                        params("baseUrl", "http://127.0.0.1:9", "keys", KEY_1),
                        "'provider'", List.of("is required")),
                Arguments.of("non-http URL",
                        params("provider", "openai", "baseUrl", "ftp://files.example.com/v1", "keys", KEY_1),
                        "'baseUrl'", List.of("not an absolute http(s) URL")),
                Arguments.of("URL without host",
                        params("provider", "anthropic", "baseUrl", "https:///v1", "keys", KEY_1),
                        "'baseUrl'", List.of("not an absolute http(s) URL")),
                Arguments.of("missing URL",
                        params("provider", "openai", "keys", KEY_1),
                        "'baseUrl'", List.of("is required")),
                Arguments.of("duplicate keys",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1 + "," + KEY_2 + "," + KEY_1),
                        "'keys'", List.of("index 2", "index 0")),
                Arguments.of("blank key inside the list",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1 + ",," + KEY_2),
                        "'keys'", List.of("index 1", "blank")),
                Arguments.of("bad on403 for openai",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "on403", "explode"),
                        "on403", List.of("'skip', 'disable' or 'pass'", "explode")),
                Arguments.of("bad failoverOn for anthropic",
                        params("provider", "anthropic", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "failoverOn", "529:retry"),
                        "failoverOn", List.of("'cooldown' or 'skip'")),
                Arguments.of("bad failoverOn for a custom provider (docs/custom-providers.md)",
                        params("provider", "acme", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "failoverOn", "529:retry"),
                        "failoverOn", List.of("provider 'acme'", "'cooldown' or 'skip'")),
                Arguments.of("bad byokHeaders for a custom provider",
                        params("provider", "acme", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "byokHeaders", "X Acme"),
                        "byokHeaders", List.of("'X Acme'", "not a valid header name")),
                Arguments.of("bad errorFormat for generic",
                        params("provider", "generic", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "errorFormat", "xml"),
                        "errorFormat", List.of("'openai' or 'anthropic'", "xml")),
                Arguments.of("bad authHeader for generic",
                        params("provider", "generic", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "authHeader", "api key"),
                        "'api key'", List.of("not a valid header name")),
                Arguments.of("bad maxConnections",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "maxConnections", "0"),
                        "'maxConnections'", List.of("not a positive whole number")),
                Arguments.of("bad responseTimeout",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "responseTimeout", "forever"),
                        "'responseTimeout'", List.of("not a duration")),
                Arguments.of("bad cooldownScope",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "cooldownScope", "request"),
                        "'cooldownScope'", List.of("'model'", "'key'", "request")),
                Arguments.of("bad keyOrder",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "keyOrder", "random"),
                        "'keyOrder'", List.of("'priority'", "'headroom'", "'round-robin'", "random")),
                Arguments.of("bad quotaRecheck",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "quotaRecheck", "0s"),
                        "'quotaRecheck'", List.of("positive")),
                Arguments.of("bad exposeKeyHint",
                        params("provider", "anthropic", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "exposeKeyHint", "yes"),
                        "'exposeKeyHint'", List.of("'true' or 'false'")),
                Arguments.of("client token with whitespace",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1,
                                "clientTokens", "alice:tok-SECRET-1,bob:tok SECRET-2"),
                        "'clientTokens'", List.of("client 'bob'", "whitespace")),
                Arguments.of("client token with a colon",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1,
                                "clientTokens", "carol:tok:SECRET:openai"),
                        "'clientTokens'", List.of("client 'carol'", "':'")),
                Arguments.of("client token with a comma",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1,
                                "clientTokens", "dave:tok-SECRET,rest-of-SECRET"),
                        "'clientTokens'", List.of("entry 2", "','")),
                Arguments.of("bad byok",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "byok", "maybe"),
                        "'byok'", List.of("'allow'", "'deny'", "'auto'")),
                Arguments.of("bad byokPattern",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1, "byokPattern", "sk-("),
                        "'byokPattern'", List.of("regular expression")),
                Arguments.of("bad trustedProxies",
                        params("provider", "openai", "baseUrl", "http://127.0.0.1:9", "keys", KEY_1,
                                "trustedProxies", "10.0.0.0/33"),
                        "'trustedProxies'", List.of("10.0.0.0/33")),
                Arguments.of("unset reference without default",
                        params("provider", "openai", "baseUrl", "${sys:keyfailover.test.surely.unset.base.url}", "keys", KEY_1),
                        "'baseUrl'", List.of("sys:keyfailover.test.surely.unset.base.url", "not set")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misconfiguredServlets")
    void misconfiguredServletStopsTheDeploymentWithAMessageNamingServletAndParameter(String label,
            Map<String, String> initParams, String parameter, List<String> problem) throws Exception {
        newServer();
        addServlet("llm", initParams);

        Throwable startFailure = catchThrowable(server::start);

        assertThat(startFailure).as("server.start()").isNotNull();
        assertThat(configurationError(startFailure).getMessage())
                .startsWith("servlet 'llm': ")
                .contains(parameter)
                .contains(problem)
                .doesNotContain(KEY_1, KEY_2, "SECRET");
        assertThat(context.isFailed()).isTrue();
        assertThat(RouteRegistry.of(context.getServletContext()).routes()).isEmpty();
    }

    @Test
    void oneMisconfiguredServletStopsTheDeploymentAndLeavesNoRouteRunning() throws Exception {
        newServer();
        addServlet("good", valid());
        Map<String, String> bad = valid();
        bad.put("keys", KEY_2 + "," + KEY_2);
        addServlet("broken", bad);

        Throwable startFailure = catchThrowable(server::start);

        assertThat(configurationError(startFailure).getMessage())
                .isEqualTo("servlet 'broken': parameter 'keys' the key at index 1 repeats the key at index 0");
        assertThat(context.isFailed()).isTrue();
        server.stop();
        assertThat(RouteRegistry.of(context.getServletContext()).routes()).isEmpty();
        server = null;
    }

    /** The ServletException of ours somewhere in what the container threw. */
    private static ServletException configurationError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServletException && cause.getMessage() != null
                    && cause.getMessage().matches("(servlet|filter) '.*")) {
                return (ServletException) cause;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed instanceof ServletException && suppressed.getMessage().matches("(servlet|filter) '.*")) {
                    return (ServletException) suppressed;
                }
            }
        }
        throw new AssertionError("no configuration error in " + failure, failure);
    }

    @Test
    void validServletStartsAndRegistersItsRoute() throws Exception {
        newServer();
        ServletHolder holder = addServlet("openai", valid());

        server.start();

        assertThat(holder.isAvailable()).isTrue();
        assertThat(holder.getUnavailableException()).isNull();
        List<ProxyRoute> routes = RouteRegistry.of(context.getServletContext()).routes();
        assertThat(routes).hasSize(1);
        ProxyRoute route = routes.get(0);
        assertThat(route.provider().name()).isEqualTo("openai");
        assertThat(route.pool()).isNotNull();
        assertThat(route.pool().keys()).hasSize(2);
        assertThat(((KeyFailoverServlet) holder.getServlet()).route()).isSameAs(route);
        assertThat(route.provider().credentialHeaders()).containsExactly("Authorization");

        server.stop();
        assertThat(RouteRegistry.of(context.getServletContext()).routes()).isEmpty();
        server = null;
    }

    @Test
    void modelAwareSettingsReachTheRunningRoute() throws Exception {
        newServer();
        Map<String, String> params = valid();
        params.put("cooldownScope", "key");
        params.put("keyOrder", "round-robin");
        params.put("quotaRecheck", "never");
        params.put("exposeKeyHint", "true");
        addServlet("openai", params);

        server.start();

        ProxyRoute route = RouteRegistry.of(context.getServletContext()).routes().get(0);
        assertThat(route.pool().settings().cooldownScope()).isEqualTo(dev.keyfailover.settings.PoolSettings.CooldownScope.KEY);
        assertThat(route.pool().settings().keyOrder()).isEqualTo(dev.keyfailover.settings.PoolSettings.KeyOrder.ROUND_ROBIN);
        assertThat(route.pool().settings().quotaRecheck()).isEmpty();
    }

    @Test
    void contextParamsProvideSharedDefaultsToTheServlet() throws Exception {
        newServer();
        context.setInitParameter("keyfailover.baseUrl", "http://127.0.0.1:9/shared");
        context.setInitParameter("keyfailover.provider", "anthropic");
        ServletHolder holder = addServlet("claude", params("name", "claude-main"));

        server.start();

        assertThat(holder.isAvailable()).isTrue();
        List<ProxyRoute> routes = RouteRegistry.of(context.getServletContext()).routes();
        assertThat(routes).singleElement().satisfies(route -> {
            assertThat(route.provider().name()).isEqualTo("claude-main");
            assertThat(route.pool()).as("no keys: no pool").isNull();
            assertThat(route.provider().credentialHeaders()).containsExactly("X-Api-Key", "Authorization");
        });
    }

    @Test
    void genericProviderWithValidPropertiesStarts() throws Exception {
        newServer();
        Map<String, String> generic = params("provider", "generic", "baseUrl", "http://127.0.0.1:9/azure",
                "keys", KEY_1, "authHeader", "api-key", "errorFormat", "anthropic");
        ServletHolder holder = addServlet("azure", generic);

        server.start();

        assertThat(holder.isAvailable()).isTrue();
        assertThat(RouteRegistry.of(context.getServletContext()).routes()).singleElement()
                .satisfies(route -> assertThat(route.provider().credentialHeaders()).containsExactly("api-key"));
    }

    @Test
    void filterWithoutPathPrefixFailsTheStart() {
        newServer();
        addFilter("proxy-filter", valid());

        Throwable failure = catchThrowable(server::start);

        assertThat(configurationError(failure).getMessage())
                .startsWith("filter 'proxy-filter': ")
                .contains("'pathPrefix'")
                .contains("must start with '/'")
                .doesNotContain(KEY_1, KEY_2, "SECRET");
        assertThat(context.isFailed()).isTrue();
        assertThat(RouteRegistry.of(context.getServletContext()).routes()).isEmpty();
    }

    @Test
    void filterWithARelativePathPrefixFailsTheStart() {
        newServer();
        Map<String, String> params = valid();
        params.put("pathPrefix", "openai");
        addFilter("proxy-filter", params);

        Throwable failure = catchThrowable(server::start);

        assertThat(configurationError(failure)).hasMessageStartingWith("filter 'proxy-filter': parameter 'pathPrefix'");
    }

    @Test
    void filterWithDuplicateKeysFailsTheStartNamingTheFilter() {
        newServer();
        Map<String, String> params = valid();
        params.put("pathPrefix", "/openai");
        params.put("keys", KEY_1 + "\n" + KEY_1);
        addFilter("proxy-filter", params);

        Throwable failure = catchThrowable(server::start);

        assertThat(configurationError(failure).getMessage())
                .isEqualTo("filter 'proxy-filter': parameter 'keys' the key at index 1 repeats the key at index 0");
    }

    @Test
    void validFilterStartsAndRegistersItsRoute() throws Exception {
        newServer();
        Map<String, String> params = valid();
        params.put("pathPrefix", "/openai/");
        FilterHolder holder = addFilter("proxy-filter", params);

        server.start();

        assertThat(context.isAvailable()).isTrue();
        List<ProxyRoute> routes = RouteRegistry.of(context.getServletContext()).routes();
        assertThat(routes).singleElement().satisfies(route -> {
            assertThat(route.provider().name()).isEqualTo("proxy-filter");
            assertThat(route.pool().keys()).hasSize(2);
        });
        assertThat(((KeyFailoverFilter) holder.getFilter()).route()).isSameAs(routes.get(0));
    }
}
