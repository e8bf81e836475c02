package dev.keyfailover.bench;

import java.time.Instant;

/**
 * The wall clock in epoch microseconds: the upstream writes it into every event and the load generator and the
 * candidates' {@link SseProbe} subtract it from their own, which works across JVMs on one machine where
 * {@code System.nanoTime()} would not.
 */
final class EpochMicros {

    private EpochMicros() {
    }

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
