package dev.keyfailover.bench;

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

    /** Count, p50, p90, p99, max and rounded mean, without the enclosing braces. */
    static String members(Histogram h) {
        return "\"count\":" + h.getTotalCount() + ",\"p50us\":" + h.getValueAtPercentile(50) + ",\"p90us\":"
                + h.getValueAtPercentile(90) + ",\"p99us\":" + h.getValueAtPercentile(99) + ",\"maxus\":"
                + h.getMaxValue() + ",\"meanus\":" + Math.round(h.getMean());
    }
}
