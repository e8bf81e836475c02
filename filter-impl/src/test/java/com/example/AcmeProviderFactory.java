package com.example;

// The custom provider of docs/custom-providers.md, word for word: CustomProviderTest proves the guide works.

import dev.keyfailover.api.*;
import java.util.List;
import org.apache.hc.core5.http.*;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

public final class AcmeProviderFactory implements ProviderFactory {
    @Override public String type() { return "acme"; }

    @Override public Provider create(ProviderSettings settings) {
        String region = settings.property("region", "eu");      // any extra init-param
        FailoverRules rules = settings.failoverRules();         // on403, failoverOn, as for the built-ins
        List<String> byokHeaders = settings.byokHeaders(List.of("X-Acme-Token"));
        return new Provider() {
            @Override public String name() { return settings.name(); }
            @Override public List<String> credentialHeaders() { return List.of("X-Acme-Token"); }
            @Override public List<String> byokHeaders() { return byokHeaders; }
            @Override public FailoverRules failoverRules() { return rules; }
            @Override public void applyKey(HttpRequest request, String key) {
                request.setHeader("X-Acme-Token", key);
                request.setHeader("X-Acme-Region", region);
            }
            @Override public ClassicHttpResponse exhaustedResponse(KeyPoolExhaustion error) {
                BasicClassicHttpResponse response = new BasicClassicHttpResponse(error.kind().status());
                if (error.retryAfterHeaderValue() != null) {
                    response.setHeader("Retry-After", error.retryAfterHeaderValue());
                }
                response.setEntity(new StringEntity("{\"fault\":\"" + error.kind() + "\"}",
                        ContentType.APPLICATION_JSON));
                return response;
            }
            // keyHeaders(), judge(), modelSource(), rateLimits(), accountHeaders() and
            // failureResponse() have sensible defaults.
        };
    }
}
