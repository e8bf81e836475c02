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

    /**
     * The provider's exhaustion response, or a generic JSON 502 when it renders none (or fails to).
     *
     * @param faults where a provider that throws is logged (the route's, throttled)
     */
    public static ClassicHttpResponse exhausted(Provider provider, ProviderFaults faults, KeyPoolExhaustion error) {
        ClassicHttpResponse response;
        try {
            response = provider.exhaustedResponse(error);
        } catch (RuntimeException e) {
            // A provider that fails to render its answer renders none: the client still gets one.
            faults.log("rendering the exhaustion answer", e);
            response = null;
        }
        return response != null ? response : generic(502, "api_error", error.message());
    }

    /** The provider's response for a failure of the proxy itself, or a generic JSON one when it renders none (or fails to). */
    public static ClassicHttpResponse failure(Provider provider, ProviderFaults faults, ProxyFailure failure,
                                              String message) {
        ClassicHttpResponse response;
        try {
            response = provider.failureResponse(failure, message);
        } catch (RuntimeException e) {
            faults.log("rendering the proxy's " + failure.status(), e);
            response = null;
        }
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
