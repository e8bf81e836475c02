package dev.keyfailover.provider;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Reads Google's error answer (behaviour.md §15): {@code {"error":{"code","message","status",
 * "details":[...]}}}, or the same object inside a JSON array, as Gemini's OpenAI-compatible endpoint
 * sends it. From {@code details}: the reasons of {@code google.rpc.ErrorInfo}, the
 * {@code retryDelay} of {@code google.rpc.RetryInfo} and the violations of
 * {@code google.rpc.QuotaFailure}. Anything unreadable reads as an empty error: an error body never
 * causes an error of its own. Only error bodies are read (at most 64 KiB), so a tree is fine here.
 */
final class GeminiErrors {

    private static final JsonReaderFactory READERS = JsonProvider.provider().createReaderFactory(java.util.Map.of());
    private static final String TYPE_PREFIX = "type.googleapis.com/google.rpc.";
    /** "limit: 0" in a quota message, not "limit: 0.5" nor "limit: 05". */
    private static final Pattern ZERO_LIMIT = Pattern.compile("\\blimit:\\s*0(?![0-9.])");
    private static final Pattern PROTO_DURATION = Pattern.compile("[0-9]{1,12}(\\.[0-9]{1,9})?s");

    /** One violation of a {@code QuotaFailure}: which quota, and its limit when Google says ({@code quotaValue}). */
    record Violation(String quotaId, String quotaValue) {
        boolean perDay() {
            return quotaId.toLowerCase(Locale.ROOT).contains("perday");
        }

        boolean zeroLimit() {
            return quotaValue.equals("0");
        }
    }

    /**
     * @param retryDelay {@code RetryInfo.retryDelay}; {@code null} when absent or unreadable
     */
    record GeminiError(String status, String message, List<String> reasons, Duration retryDelay,
                       List<Violation> violations) {

        static final GeminiError EMPTY = new GeminiError("", "", List.of(), null, List.of());

        /** Google's answer to a key that is not (or no longer) valid: reason or status {@code API_KEY_INVALID}. */
        boolean keyInvalid() {
            return reasons.contains("API_KEY_INVALID") || status.equals("API_KEY_INVALID");
        }

        /** A quota of zero for what was asked: a violation with limit 0, or "limit: 0" in the message. */
        boolean zeroLimit() {
            return violations.stream().anyMatch(Violation::zeroLimit) || ZERO_LIMIT.matcher(message).find();
        }

        /** A quota counted per day ran out (its id names a day). */
        boolean perDay() {
            return violations.stream().anyMatch(Violation::perDay);
        }

        /** The account's prepaid credit is used up. */
        boolean creditsDepleted() {
            return message.toLowerCase(Locale.ROOT).contains("credits are depleted");
        }

        Optional<Duration> advisedWait() {
            return Optional.ofNullable(retryDelay);
        }
    }

    private GeminiErrors() {
    }

    static GeminiError parse(String body) {
        if (body == null || body.isBlank()) {
            return GeminiError.EMPTY;
        }
        try {
            JsonValue root = READERS.createReader(new StringReader(body)).readValue();
            if (root instanceof JsonArray array && !array.isEmpty()) {
                root = array.get(0);
            }
            if (root instanceof JsonObject object && object.get("error") instanceof JsonObject error) {
                return read(error);
            }
        } catch (JsonException | IllegalStateException | ClassCastException | ArithmeticException e) {
            // Not JSON, cut at the read limit, or not Google's shape: nothing is known.
        }
        return GeminiError.EMPTY;
    }

    private static GeminiError read(JsonObject error) {
        List<String> reasons = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        Duration retryDelay = null;
        if (error.get("details") instanceof JsonArray details) {
            for (JsonValue value : details) {
                if (!(value instanceof JsonObject detail)) {
                    continue;
                }
                String type = string(detail, "@type");
                if (type.equals(TYPE_PREFIX + "ErrorInfo")) {
                    reasons.add(string(detail, "reason"));
                } else if (type.equals(TYPE_PREFIX + "RetryInfo")) {
                    retryDelay = duration(string(detail, "retryDelay"));
                } else if (type.equals(TYPE_PREFIX + "QuotaFailure")
                        && detail.get("violations") instanceof JsonArray list) {
                    for (JsonValue item : list) {
                        if (item instanceof JsonObject violation) {
                            violations.add(new Violation(string(violation, "quotaId"), quotaValue(violation)));
                        }
                    }
                }
            }
        }
        return new GeminiError(string(error, "status"), string(error, "message"), List.copyOf(reasons), retryDelay,
                List.copyOf(violations));
    }

    private static String string(JsonObject object, String name) {
        return object.get(name) instanceof JsonString value ? value.getString() : "";
    }

    /** {@code quotaValue} as Google writes it (a string), or a number. */
    private static String quotaValue(JsonObject violation) {
        if (violation.get("quotaValue") instanceof JsonNumber number) {
            return number.bigDecimalValue().signum() == 0 ? "0" : number.toString();
        }
        return string(violation, "quotaValue").trim();
    }

    /** A protobuf Duration in JSON ({@code "38s"}, {@code "1.5s"}); {@code null} when not one or not positive. */
    static Duration duration(String value) {
        if (!PROTO_DURATION.matcher(value).matches()) {
            return null;
        }
        BigDecimal millis = new BigDecimal(value.substring(0, value.length() - 1)).movePointRight(3)
                .setScale(0, java.math.RoundingMode.CEILING);
        return millis.signum() > 0 ? Duration.ofMillis(millis.longValueExact()) : null;
    }
}
