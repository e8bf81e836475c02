package dev.keyfailover.settings;

import java.time.Duration;
import java.util.Locale;

/** The validation rules of settings, each written once; messages name the setting. */
public final class Require {

    private Require() {
    }

    /** @throws IllegalArgumentException unless the duration is above zero */
    public static Duration positive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
        return value;
    }

    /** @throws IllegalArgumentException when the duration is below zero */
    public static Duration notNegative(Duration value, String name) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return value;
    }

    /** @throws IllegalArgumentException when the duration is above {@code max} */
    public static Duration atMost(Duration value, Duration max, String name) {
        if (value != null && value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + written(max) + ", not " + written(value));
        }
        return value;
    }

    /** @throws IllegalArgumentException unless {@code min <= value <= max} (counted in {@code unit}) */
    public static long between(long value, long min, long max, String name, String unit) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + " " + unit
                    + ", not " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException unless the count (of {@code unit}s) is at least 1 */
    public static long atLeastOne(long value, String name, String unit) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 " + unit);
        }
        return value;
    }

    /** {@code 1m}, {@code 24h}, {@code 0.5s}: as a parameter may be written. */
    private static String written(Duration value) {
        return value.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
