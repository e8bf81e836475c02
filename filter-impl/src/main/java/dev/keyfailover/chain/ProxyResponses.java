package dev.keyfailover.chain;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

/**
 * The answers the proxy makes itself, in the provider's format, with a generic JSON error for a
 * provider that renders none (behaviour.md §6).
 */
public final class ProxyResponses {

    private ProxyResponses() {
    }

    /** The provider's exhaustion response, or a generic JSON 502. */
    public static ClassicHttpResponse exhausted(Provider provider, KeyPoolExhaustion error) {
        ClassicHttpResponse response = provider.exhaustedResponse(error);
        return response != null ? response : generic(502, "api_error", error.message());
    }

    /** The provider's response for a failure of the proxy itself, or a generic JSON one. */
    public static ClassicHttpResponse failure(Provider provider, ProxyFailure failure, String message) {
        ClassicHttpResponse response = provider.failureResponse(failure, message);
        return response != null ? response : generic(failure.status(), "proxy_error", message);
    }

    /** {@code {"error":{"message":…,"type":…}}} with the given status. */
    static ClassicHttpResponse generic(int status, String type, String message) {
        String body = Jsons.objectBuilder()
                .add("error", Jsons.objectBuilder().add("message", message).add("type", type))
                .build().toString();
        BasicClassicHttpResponse response = new BasicClassicHttpResponse(status);
        response.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        return response;
    }
}
