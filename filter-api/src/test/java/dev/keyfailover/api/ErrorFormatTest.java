package dev.keyfailover.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The error shapes of behaviour.md §6. */
class ErrorFormatTest {

    private static JsonObject body(ClassicHttpResponse response) throws Exception {
        assertThat(response.getEntity().getContentType()).startsWith("application/json");
        try (JsonReader reader = Json.createReader(new StringReader(EntityUtils.toString(response.getEntity())))) {
            return reader.readObject();
        }
    }

    private static KeyPoolExhaustion rateLimited(Duration wait) {
        return new KeyPoolExhaustion("openai", KeyPoolExhaustion.Kind.RATE_LIMITED, wait);
    }

    private static KeyPoolExhaustion authFailed() {
        return new KeyPoolExhaustion("openai", KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED, Duration.ZERO);
    }

    @Test
    void openAiRateLimited() throws Exception {
        ClassicHttpResponse response = ErrorFormat.OPENAI.exhausted(rateLimited(Duration.ofSeconds(7)));

        assertThat(response.getCode()).isEqualTo(429);
        assertThat(response.getFirstHeader("Retry-After").getValue()).isEqualTo("7");
        JsonObject error = body(response).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("rate_limit_error");
        assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
        assertThat(error.getString("message")).contains("all configured keys are rate-limited");
    }

    @Test
    void anthropicRateLimited() throws Exception {
        ClassicHttpResponse response = ErrorFormat.ANTHROPIC.exhausted(rateLimited(Duration.ofSeconds(7)));

        assertThat(response.getCode()).isEqualTo(429);
        assertThat(response.getFirstHeader("Retry-After").getValue()).isEqualTo("7");
        JsonObject json = body(response);
        assertThat(json.getString("type")).isEqualTo("error");
        assertThat(json.getJsonObject("error").getString("type")).isEqualTo("rate_limit_error");
        assertThat(json.getJsonObject("error").getString("message")).contains("rate-limited");
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "999, 1", "1000, 1", "1001, 2", "59999, 60", "60000, 60"})
    void retryAfterIsWholeSecondsRoundedUp(long millis, String header) {
        ClassicHttpResponse response = ErrorFormat.OPENAI.exhausted(rateLimited(Duration.ofMillis(millis)));

        assertThat(response.getFirstHeader("Retry-After").getValue()).isEqualTo(header);
    }

    @Test
    void retryAfterIsOmittedAtZero() {
        ClassicHttpResponse response = ErrorFormat.ANTHROPIC.exhausted(rateLimited(Duration.ZERO));

        assertThat(response.getCode()).isEqualTo(429);
        assertThat(response.containsHeader("Retry-After")).isFalse();
    }

    @Test
    void openAiAuthenticationFailure() throws Exception {
        ClassicHttpResponse response = ErrorFormat.OPENAI.exhausted(authFailed());

        assertThat(response.getCode()).isEqualTo(502);
        assertThat(response.containsHeader("Retry-After")).isFalse();
        JsonObject error = body(response).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("api_error");
        assertThat(error.getString("code")).isEqualTo("server_error");
        assertThat(error.getString("message")).contains("all configured keys failed authentication");
    }

    @Test
    void anthropicAuthenticationFailure() throws Exception {
        ClassicHttpResponse response = ErrorFormat.ANTHROPIC.exhausted(authFailed());

        assertThat(response.getCode()).isEqualTo(502);
        JsonObject json = body(response);
        assertThat(json.getString("type")).isEqualTo("error");
        assertThat(json.getJsonObject("error").getString("type")).isEqualTo("api_error");
        assertThat(json.getJsonObject("error").getString("message")).contains("failed authentication");
    }

    private static KeyPoolExhaustion quota() {
        return new KeyPoolExhaustion("openai", KeyPoolExhaustion.Kind.QUOTA_EXHAUSTED, Duration.ZERO);
    }

    @Test
    void openAiQuotaExhaustedIsOpenAisOwn429InsufficientQuotaThatSdksDoNotRetry() throws Exception {
        ClassicHttpResponse response = ErrorFormat.OPENAI.exhausted(quota());

        assertThat(response.getCode()).isEqualTo(429);
        assertThat(response.containsHeader("Retry-After")).isFalse();
        assertThat(response.getFirstHeader("x-should-retry").getValue()).isEqualTo("false");
        JsonObject error = body(response).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("insufficient_quota");
        assertThat(error.getString("code")).isEqualTo("insufficient_quota");
        assertThat(error.getString("message")).contains("run out of credit or quota");
    }

    @Test
    void anthropicQuotaExhaustedIsAnthropicsOwn400InvalidRequestError() throws Exception {
        ClassicHttpResponse response = ErrorFormat.ANTHROPIC.exhausted(quota());

        assertThat(response.getCode()).isEqualTo(400);
        assertThat(response.containsHeader("Retry-After")).isFalse();
        assertThat(response.getFirstHeader("x-should-retry").getValue()).isEqualTo("false");
        JsonObject json = body(response);
        assertThat(json.getString("type")).isEqualTo("error");
        assertThat(json.getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
        assertThat(json.getJsonObject("error").getString("message")).contains("credit or quota");
    }

    @Test
    void aQuotaExhaustionNeverCarriesRetryAfterEvenWithAWait() {
        KeyPoolExhaustion withWait = new KeyPoolExhaustion("openai", KeyPoolExhaustion.Kind.QUOTA_EXHAUSTED,
                Duration.ofSeconds(30));

        assertThat(ErrorFormat.OPENAI.exhausted(withWait).containsHeader("Retry-After")).isFalse();
        assertThat(ErrorFormat.ANTHROPIC.exhausted(withWait).containsHeader("Retry-After")).isFalse();
    }

    @Test
    void aRateLimitedPoolDoesNotSayShouldRetryFalse() {
        assertThat(ErrorFormat.OPENAI.exhausted(rateLimited(Duration.ofSeconds(3))).containsHeader("x-should-retry"))
                .isFalse();
        assertThat(ErrorFormat.ANTHROPIC.exhausted(rateLimited(Duration.ofSeconds(3))).containsHeader("x-should-retry"))
                .isFalse();
    }

    @Test
    void aPoolWhoseKeysAllFailedAuthenticationSaysShouldRetryFalse() {
        for (ErrorFormat format : ErrorFormat.values()) {
            ClassicHttpResponse response = format.exhausted(authFailed());
            assertThat(response.getCode()).isEqualTo(502);
            assertThat(response.getFirstHeader("x-should-retry").getValue()).isEqualTo("false");
        }
    }

    @ParameterizedTest
    @EnumSource(ProxyFailure.class)
    void everyProxyFailureGetsItsStatusInBothShapes(ProxyFailure failure) throws Exception {
        for (ErrorFormat format : ErrorFormat.values()) {
            ClassicHttpResponse response = format.failure(failure, "m");
            assertThat(response.getCode()).as("%s %s", format, failure).isEqualTo(failure.status());
            JsonObject json = body(response);
            assertThat(json.getJsonObject("error").getString("message")).isEqualTo("m");
            assertThat(json.getJsonObject("error").getString("type")).isNotBlank();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "BAD_REQUEST, 400, invalid_request_error, invalid_request, invalid_request_error",
        "REQUEST_TOO_LARGE, 413, invalid_request_error, request_too_large, request_too_large",
        "BAD_GATEWAY, 502, api_error, bad_gateway, api_error",
        "GATEWAY_TIMEOUT, 504, api_error, timeout, timeout_error",
        "REQUEST_TIMEOUT, 408, invalid_request_error, request_timeout, invalid_request_error",
        "OVERLOADED, 503, server_error, overloaded, overloaded_error"})
    void proxyFailuresInBothShapes(ProxyFailure failure, int status, String openAiType, String openAiCode,
                                   String anthropicType) throws Exception {
        ClassicHttpResponse openAi = ErrorFormat.OPENAI.failure(failure, "what happened");
        assertThat(openAi.getCode()).isEqualTo(status);
        JsonObject error = body(openAi).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo(openAiType);
        assertThat(error.getString("code")).isEqualTo(openAiCode);
        assertThat(error.getString("message")).isEqualTo("what happened");

        ClassicHttpResponse anthropic = ErrorFormat.ANTHROPIC.failure(failure, "what happened");
        assertThat(anthropic.getCode()).isEqualTo(status);
        JsonObject json = body(anthropic);
        assertThat(json.getString("type")).isEqualTo("error");
        assertThat(json.getJsonObject("error").getString("type")).isEqualTo(anthropicType);
        assertThat(json.getJsonObject("error").getString("message")).isEqualTo("what happened");
    }

    @Test
    void messagesAreEscapedAsJson() throws Exception {
        ClassicHttpResponse response = ErrorFormat.OPENAI.failure(ProxyFailure.BAD_GATEWAY, "quote \" and \\ and \n");

        assertThat(body(response).getJsonObject("error").getString("message")).isEqualTo("quote \" and \\ and \n");
    }

    @ParameterizedTest
    @CsvSource({"openai, OPENAI", "OpenAI, OPENAI", " anthropic , ANTHROPIC", "ANTHROPIC, ANTHROPIC"})
    void parsesNamesCaseInsensitively(String value, ErrorFormat expected) {
        assertThat(ErrorFormat.parse(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gemini", "open-ai"})
    void rejectsUnknownNamesNamingTheSetting(String value) {
        assertThatThrownBy(() -> ErrorFormat.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("errorFormat");
    }
}
