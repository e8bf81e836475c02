package dev.keyfailover.provider;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.chain.Jsons;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

/**
 * The proxy's own answers in Google's error shape (behaviour.md §6, §15):
 * {@code {"error":{"code":<status>,"message":…,"status":<google.rpc code>}}}, so that Google's SDKs
 * raise their own errors. A dry pool is 429 {@code RESOURCE_EXHAUSTED} (with {@code Retry-After}
 * when keys are only rate-limited; none, and {@code x-should-retry: false}, when out of quota or when
 * every key failed authentication).
 */
final class GeminiAnswers {

    private GeminiAnswers() {
    }

    static ClassicHttpResponse exhausted(KeyPoolExhaustion error) {
        String retryAfter = error.retryAfterHeaderValue();
        String message = error.message() + (retryAfter == null ? "" : "; retry after " + retryAfter + " s");
        return switch (error.kind()) {
            case RATE_LIMITED -> {
                ClassicHttpResponse response = response(429, "RESOURCE_EXHAUSTED", message);
                if (retryAfter != null) {
                    response.setHeader("Retry-After", retryAfter);
                }
                yield response;
            }
            case QUOTA_EXHAUSTED -> {
                ClassicHttpResponse response = response(429, "RESOURCE_EXHAUSTED", message);
                response.setHeader("x-should-retry", "false");
                yield response;
            }
            case AUTHENTICATION_FAILED -> {
                ClassicHttpResponse response = response(error.kind().status(), "UNAVAILABLE", message);
                response.setHeader("x-should-retry", "false");
                yield response;
            }
        };
    }

    static ClassicHttpResponse failure(ProxyFailure failure, String message) {
        String status = switch (failure) {
            case BAD_REQUEST, METHOD_NOT_ALLOWED, REQUEST_TOO_LARGE -> "INVALID_ARGUMENT";
            case REQUEST_TIMEOUT, GATEWAY_TIMEOUT -> "DEADLINE_EXCEEDED";
            case OVERLOADED, BAD_GATEWAY -> "UNAVAILABLE";
            case UNAUTHORIZED -> "UNAUTHENTICATED";
            case TOO_MANY_AUTH_FAILURES, CLIENT_BUDGET_SPENT -> "RESOURCE_EXHAUSTED";
        };
        return response(failure.status(), status, message);
    }

    private static ClassicHttpResponse response(int code, String status, String message) {
        BasicClassicHttpResponse response = new BasicClassicHttpResponse(code);
        String body = Jsons.objectBuilder().add("error", Jsons.objectBuilder()
                .add("code", code).add("message", message).add("status", status)).build().toString();
        response.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        return response;
    }
}
