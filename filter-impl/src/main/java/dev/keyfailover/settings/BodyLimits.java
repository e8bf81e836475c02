package dev.keyfailover.settings;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a client body is buffered for replay.
 *
 * @param memoryThreshold bodies up to this size stay in memory; larger ones spill to a temp file
 * @param maxBytes bodies above this size are refused with a 413
 * @param spillDirectory where spilled bodies go; {@code null} for the JVM's temp directory
 */
public record BodyLimits(long memoryThreshold, long maxBytes, Path spillDirectory) {

    /** 1 MiB. */
    public static final long DEFAULT_MEMORY_THRESHOLD = 1L << 20;
    /** 64 MiB. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    public BodyLimits {
        Require.atLeastOne(maxBytes, "maxBodyBytes", "byte");
        if (memoryThreshold < 0) {
            throw new IllegalArgumentException("memoryThreshold must not be negative");
        }
    }

    public static BodyLimits defaults() {
        return new BodyLimits(DEFAULT_MEMORY_THRESHOLD, DEFAULT_MAX_BYTES, null);
    }

    public BodyLimits withMaxBytes(long value) {
        return new BodyLimits(Math.min(memoryThreshold, value), value, spillDirectory);
    }

    public BodyLimits withSpillDirectory(Path value) {
        return new BodyLimits(memoryThreshold, maxBytes, Objects.requireNonNull(value));
    }
}
