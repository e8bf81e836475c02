package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;

import dev.keyfailover.config.BrokenFactories;
import dev.keyfailover.config.ConfigException;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.config.ParameterSource;
import dev.keyfailover.config.Placeholders;
import dev.keyfailover.config.RouteConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a provider factory that cannot be loaded fails only the routes that name its type, with
 * a message naming it and why; the webapp's other routes, built-in or custom, start.
 */
class BrokenProviderFactoryRouteTest {

    @TempDir
    Path dir;

    private ClassLoader saved;
    private URLClassLoader webapp;

    @BeforeEach
    void webappWithABrokenProviderJar() throws Exception {
        webapp = BrokenFactories.loader(dir);
        saved = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(webapp);
    }

    @AfterEach
    void restore() throws Exception {
        Thread.currentThread().setContextClassLoader(saved);
        webapp.close();
    }

    private static ProxyRoute route(String where, String provider) throws ConfigException {
        Map<String, String> params = Map.of("provider", provider, "baseUrl", "http://127.0.0.1:9/v1",
                "keys", "sk-test-ROUTE-KEY-0001");
        ParameterSource source = new ParameterSource(params::get, Collections.enumeration(params.keySet()),
                name -> null, Collections.emptyEnumeration());
        return RouteAssembly.assemble(where, RouteConfig.parse(where, provider, source, Placeholders.system()),
                Clock.systemUTC(), LocalKeyStateStore.INSTANCE, new dev.keyfailover.chain.ThrottledLines(), null,
                HeaderPolicyFactory.DEFAULT,
                name -> java.util.Optional.empty(), null);
    }

    @Test
    void routesOfFactoriesThatLoadStart() throws Exception {
        try (ProxyRoute openai = route("servlet 'openai'", "openai");
             ProxyRoute late = route("servlet 'late'", "late")) {
            assertThat(openai.provider().name()).isEqualTo("openai");
            assertThat(late.provider().name()).isEqualTo("late");
        }
    }

    @Test
    void aRouteNamingTheBrokenFactoryFailsSayingWhich() {
        assertThatThrownBy(() -> route("servlet 'acme-eu'", "throwing"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("servlet 'acme-eu': parameter 'provider' names unknown type 'throwing'")
                .hasMessageContaining(BrokenFactories.Throwing.class.getName() + " could not be instantiated")
                .hasMessageContaining("no licence file in /etc/acme")
                .hasMessageContaining(BrokenFactories.MISSING + " not found")
                .hasMessageNotContaining("sk-test-ROUTE-KEY-0001");
    }
}
