package dev.keyfailover.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.hc.client5.http.utils.DateUtils;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Reads how long upstream advises to wait before using a key again.
 *
 * <p>Looked at in this order, the first usable one wins: {@code retry-after-ms} and
 * {@code x-ms-retry-after-ms} (milliseconds, as OpenAI and Azure send them), then
 * {@code Retry-After} as delta-seconds or as an HTTP-date (RFC 9110 section 10.2.3). A value that
 * is absent, unparsable, zero or negative is not usable.
 */
public final class RetryHints {

    /** Longer than any sensible cap; keeps absurd values from overflowing. */
    private static final Duration CEILING = Duration.ofDays(3650);
    private static final BigDecimal CEILING_MILLIS = BigDecimal.valueOf(CEILING.toMillis());

    private RetryHints() {
    }

    /**
     * The advised wait, or empty when upstream gave none that is usable.
     *
     * @param response the upstream answer
     * @param now the current time, to turn an HTTP-date into a wait
     */
    public static Optional<Duration> advisedWait(HttpResponse response, Instant now) {
        Optional<Duration> wait = millisHeader(response, "retry-after-ms");
        if (wait.isEmpty()) {
            wait = millisHeader(response, "x-ms-retry-after-ms");
        }
        if (wait.isEmpty()) {
            wait = retryAfter(response.getFirstHeader("Retry-After"), now);
        }
        return wait;
    }

    private static Optional<Duration> millisHeader(HttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        if (header == null) {
            return Optional.empty();
        }
        return decimal(header.getValue()).flatMap(millis -> positive(millis, 1));
    }

    private static Optional<Duration> retryAfter(Header header, Instant now) {
        if (header == null || header.getValue() == null) {
            return Optional.empty();
        }
        String value = header.getValue().trim();
        Optional<BigDecimal> seconds = decimal(value);
        if (seconds.isPresent()) {
            return positive(seconds.get(), 1000);
        }
        Instant date = DateUtils.parseStandardDate(value);
        if (date == null) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, date);
        return wait.isNegative() || wait.isZero() ? Optional.empty() : Optional.of(min(wait, CEILING));
    }

    private static Optional<BigDecimal> decimal(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.length() > 40 || !trimmed.matches("[+-]?[0-9]+(\\.[0-9]+)?")) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(trimmed));
    }

    private static Optional<Duration> positive(BigDecimal amount, int millisPerUnit) {
        BigDecimal millis = amount.multiply(BigDecimal.valueOf(millisPerUnit));
        if (millis.signum() <= 0) {
            return Optional.empty();
        }
        if (millis.compareTo(CEILING_MILLIS) > 0) {
            return Optional.of(CEILING);
        }
        // Round sub-millisecond remainders up: a wait is never shortened.
        long whole = millis.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        return Optional.of(Duration.ofMillis(whole));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
