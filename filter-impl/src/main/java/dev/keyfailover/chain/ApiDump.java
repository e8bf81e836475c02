package dev.keyfailover.chain;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Where attempts are written: {@code <dir>/<provider>/<time>-<seq>-<exchange>-a<attempt>.request.txt}
 * and {@code ….response.txt}, names that sort by time. Writes never throw: a failing dump is logged
 * and the request goes on (behaviour.md §7).
 */
public final class ApiDump {

    private static final Logger LOG = LoggerFactory.getLogger(ApiDump.class);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path providerDir;
    private final Clock clock;
    private final CredentialMasker masker;
    private final AtomicLong sequence = new AtomicLong();
    /** A full disk fails every exchange's dump: one line per kind of failure and window, not one per exchange. */
    private final LogThrottles failures;

    /** @param lines the route's throttled lines (the dump's failures) */
    public ApiDump(Path dumpDir, String providerName, Clock clock, CredentialMasker masker, ThrottledLines lines) {
        this.providerDir = dumpDir.resolve(providerName);
        this.clock = clock;
        this.masker = masker;
        this.failures = lines.throttles(clock, LOG, Level.WARN, providerName, "");
    }

    /** The folder this provider's attempts are written to. */
    public Path directory() {
        return providerDir;
    }

    CredentialMasker masker() {
        return masker;
    }

    /** The common file-name stem of one attempt. */
    String stem(String exchangeId, int attempt) {
        return FILE_TIME.format(clock.instant()) + "-" + String.format("%010d", sequence.incrementAndGet())
                + "-" + exchangeId + "-a" + attempt;
    }

    /** Opens one dump file, or returns {@code null} (after logging) when it cannot be written. */
    OutputStream open(String fileName) {
        try {
            Files.createDirectories(providerDir);
            return new BufferedOutputStream(Files.newOutputStream(providerDir.resolve(fileName)), 16 * 1024);
        } catch (IOException | RuntimeException e) {
            failed("API dump: cannot write {}: {}", providerDir.resolve(fileName).toString(), e);
            return null;
        }
    }

    /**
     * Logs that a dump file failed, throttled by what failed ({@code template}, with two {@code {}}:
     * the file, the exception) and the exception's class.
     */
    void failed(String template, String file, Exception e) {
        // The kind as the sweep's line names it: the template without its placeholders, and the exception's class.
        long leftOut = failures.occurred(template.replace(": {}", "").replace(" {}", "") + ": "
                + e.getClass().getName());
        if (leftOut != LogThrottle.COUNTED) {
            LOG.warn(template + "{}", file, e.toString(), LogThrottle.summary(leftOut));
        }
    }

    /** The head of a message (first line, then masked headers, then a blank line). */
    byte[] head(String firstLine, HttpMessage message) {
        StringBuilder text = new StringBuilder(firstLine).append("\r\n");
        for (Header header : message.getHeaders()) {
            text.append(header.getName()).append(": ")
                    .append(masker.headerValue(header.getName(), header.getValue())).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
