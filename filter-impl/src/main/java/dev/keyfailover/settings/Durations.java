package dev.keyfailover.settings;

import java.time.Duration;

/** Durations as people read them in messages: {@code 300 ms}, {@code 30 s}, {@code 10 min}. */
public final class Durations {

    private Durations() {
    }

    /** The duration in the largest unit that counts it whole: minutes, seconds, else milliseconds. */
    public static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis >= 60_000 && millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        if (millis >= 1000 && millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return millis + " ms";
    }
}
