package dev.keyfailover.bench;

import java.util.List;

/**
 * One figure over scenario 11's rounds: its median, least and greatest value, and how many rounds have it (a cell
 * without a number, NaN, is left out rather than counted as zero).
 */
record Spread(double median, double min, double max, int count) {

    static Spread of(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted()
                .toArray();
        int n = sorted.length;
        if (n == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }
}
