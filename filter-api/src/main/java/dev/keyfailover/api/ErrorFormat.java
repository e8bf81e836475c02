package dev.keyfailover.api;

import jakarta.json.JsonObjectBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

/**
 * The error shapes of the two big API families (behaviour.md §6), for any provider whose API
 * answers errors like OpenAI or like Anthropic: a custom {@link Provider} can return
 * {@code ErrorFormat.OPENAI.exhausted(error)} from {@link Provider#exhaustedResponse} and
 * {@code ErrorFormat.OPENAI.failure(failure, message)} from {@link Provider#failureResponse}.
 */
public enum ErrorFormat {

    /** {@code {"error":{"message":…,"type":…,"code":…}}}. */
    OPENAI {
        @Override
        String body(ErrorKind kind, String message) {
            JsonObjectBuilder error = Jsons.objectBuilder()
                    .add("message", message)
                    .add("type", kind.openAiType);
            if (kind.openAiCode != null) {
                error.add("code", kind.openAiCode);
            }
            return Jsons.objectBuilder().add("error", error).build().toString();
        }
    },

    /** {@code {"type":"error","error":{"type":…,"message":…}}}. */
    ANTHROPIC {
        @Override
        String body(ErrorKind kind, String message) {
            return Jsons.objectBuilder()
                    .add("type", "error")
                    .add("error", Jsons.objectBuilder().add("type", kind.anthropicType).add("message", message))
                    .build().toString();
        }
    };

    abstract String body(ErrorKind kind, String message);

    /**
     * The exhaustion response: 429 with {@code Retry-After} (omitted at zero); 502 when every key
     * failed authentication; or for an empty balance what the provider itself answers (OpenAI 429
     * {@code insufficient_quota}, Anthropic 400 {@code invalid_request_error}). The last two are
     * marked {@code x-should-retry: false}: the official SDKs would retry them within seconds, and
     * a disabled or spent key is not back within seconds.
     */
    public ClassicHttpResponse exhausted(KeyPoolExhaustion error) {
        ErrorKind kind = switch (error.kind()) {
            case RATE_LIMITED -> ErrorKind.RATE_LIMITED;
            case QUOTA_EXHAUSTED -> ErrorKind.QUOTA;
            case AUTHENTICATION_FAILED -> ErrorKind.AUTHENTICATION_FAILED;
        };
        String message = error.message();
        if (error.retryAfterHeaderValue() != null) {
            message += "; retry after " + error.retryAfterHeaderValue() + " s";
        }
        if (kind == ErrorKind.QUOTA) {
            ClassicHttpResponse response = response(this == ANTHROPIC ? 400 : 429, kind, message);
            response.setHeader("x-should-retry", "false");
            return response;
        }
        ClassicHttpResponse response = response(error.kind().status(), kind, message);
        if (kind == ErrorKind.AUTHENTICATION_FAILED) {
            response.setHeader("x-should-retry", "false");
        }
        String retryAfter = error.retryAfterHeaderValue();
        if (retryAfter != null) {
            response.setHeader("Retry-After", retryAfter);
        }
        return response;
    }

    /** The response for an error of the proxy itself. */
    public ClassicHttpResponse failure(ProxyFailure failure, String message) {
        ErrorKind kind = switch (failure) {
            case BAD_REQUEST -> ErrorKind.BAD_REQUEST;
            case METHOD_NOT_ALLOWED -> ErrorKind.METHOD_NOT_ALLOWED;
            case REQUEST_TOO_LARGE -> ErrorKind.REQUEST_TOO_LARGE;
            case GATEWAY_TIMEOUT -> ErrorKind.TIMEOUT;
            case REQUEST_TIMEOUT -> ErrorKind.REQUEST_TIMEOUT;
            case OVERLOADED -> ErrorKind.OVERLOADED;
            case BAD_GATEWAY -> ErrorKind.BAD_GATEWAY;
            case UNAUTHORIZED -> ErrorKind.UNAUTHORIZED;
            case TOO_MANY_AUTH_FAILURES, CLIENT_BUDGET_SPENT -> ErrorKind.RATE_LIMITED;
        };
        return response(failure.status(), kind, message);
    }

    private ClassicHttpResponse response(int status, ErrorKind kind, String message) {
        BasicClassicHttpResponse response = new BasicClassicHttpResponse(status);
        response.setEntity(new StringEntity(body(kind, message), ContentType.APPLICATION_JSON));
        return response;
    }

    /** Parses {@code openai} or {@code anthropic}. */
    public static ErrorFormat parse(String value) {
        for (ErrorFormat format : values()) {
            if (format.name().equalsIgnoreCase(value.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("errorFormat must be 'openai' or 'anthropic', not '" + value + "'");
    }

    private enum ErrorKind {
        RATE_LIMITED("rate_limit_error", "rate_limit_exceeded", "rate_limit_error"),
        AUTHENTICATION_FAILED("api_error", "server_error", "api_error"),
        QUOTA("insufficient_quota", "insufficient_quota", "invalid_request_error"),
        BAD_REQUEST("invalid_request_error", "invalid_request", "invalid_request_error"),
        METHOD_NOT_ALLOWED("invalid_request_error", "method_not_allowed", "invalid_request_error"),
        REQUEST_TOO_LARGE("invalid_request_error", "request_too_large", "request_too_large"),
        BAD_GATEWAY("api_error", "bad_gateway", "api_error"),
        TIMEOUT("api_error", "timeout", "timeout_error"),
        // The client was too slow, not the API: an invalid request in both families (Anthropic has no 408 type).
        REQUEST_TIMEOUT("invalid_request_error", "request_timeout", "invalid_request_error"),
        // The shapes both APIs use when they are overloaded themselves (OpenAI 503, Anthropic 529).
        OVERLOADED("server_error", "overloaded", "overloaded_error"),
        // What both APIs answer for a wrong API key, so that the SDKs raise their authentication error.
        UNAUTHORIZED("invalid_request_error", "invalid_api_key", "authentication_error");

        final String openAiType;
        final String openAiCode;
        final String anthropicType;

        ErrorKind(String openAiType, String openAiCode, String anthropicType) {
            this.openAiType = openAiType;
            this.openAiCode = openAiCode;
            this.anthropicType = anthropicType;
        }
    }
}
