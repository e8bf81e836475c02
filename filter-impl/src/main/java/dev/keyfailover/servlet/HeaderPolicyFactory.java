package dev.keyfailover.servlet;

import dev.keyfailover.api.Provider;
import dev.keyfailover.chain.ByokRule;
import dev.keyfailover.chain.HeaderPolicy;
import dev.keyfailover.config.RouteConfig;

/**
 * Makes a route's {@link HeaderPolicy}. To change a header rule, subclass {@link KeyFailoverServlet}
 * (or {@link KeyFailoverFilter}), override its {@code headerPolicy} to return a subclass of
 * {@code HeaderPolicy}, and map the subclass in web.xml: as Jetty's proxy servlet is changed by
 * overriding {@code copyRequestHeaders} and {@code filterServerResponseHeader}.
 */
@FunctionalInterface
public interface HeaderPolicyFactory {

    /**
     * The policy of the route's settings: {@code byok} and {@code byokPattern}, {@code clientAuthHeaders},
     * {@code dropResponseHeaders} (else the provider's {@link Provider#accountHeaders()}),
     * {@code exposeKeyHint}.
     */
    HeaderPolicyFactory DEFAULT = (provider, config) -> new HeaderPolicy(provider, ByokRule.of(config.access()),
            config.clientAuthHeaders(), config.dropResponseHeaders().orElseGet(provider::accountHeaders),
            config.exposeKeyHint());

    HeaderPolicy create(Provider provider, RouteConfig config);
}
