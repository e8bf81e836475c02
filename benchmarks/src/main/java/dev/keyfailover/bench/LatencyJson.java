package dev.keyfailover.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;

import org.HdrHistogram.Histogram;

/**
 * The load generator's histograms as JSON members ({@code "count":…,"p50us":…}), the fields the orchestrator reads
 * from every result line; and the histogram they come from, so that every mode records with the same range and
 * precision.
 */
final class LatencyJson {

    private LatencyJson() {
    }

    /** Up to an hour in microseconds, 3 significant digits. */
    static Histogram histogram() {
        return new Histogram(3_600_000_000L, 3);
    }

    /** The JSON member of a result line that carries the whole histogram ({@link #encoded}). */
    static final String HISTOGRAM = "histogram";

    /**
     * The histogram itself, compressed and in Base64, so that the orchestrator can pool the events of many cells
     * (scenario 11's {@link SseTail}) instead of only comparing their percentiles.
     */
    static String encoded(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    static Histogram decoded(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }

    /** Count, p50, p90, p99, max and rounded mean, without the enclosing braces. */
    static String members(Histogram h) {
        return "\"count\":" + h.getTotalCount() + ",\"p50us\":" + h.getValueAtPercentile(50) + ",\"p90us\":"
                + h.getValueAtPercentile(90) + ",\"p99us\":" + h.getValueAtPercentile(99) + ",\"maxus\":"
                + h.getMaxValue() + ",\"meanus\":" + Math.round(h.getMean());
    }
}
