package dev.keyfailover.bench;

/** The load generator's waits: between requests, and until a stream's turn while opening many over a ramp. */
final class Pause {

    private Pause() {
    }

    static void millis(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Until stream {@code i} of {@code count}'s turn, the streams spread evenly over {@code rampMillis} from {@code start}. */
    static void untilTurn(long start, int rampMillis, int i, int count) {
        long due = start + (long) rampMillis * 1_000_000L * i / count;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            nanos(wait);
        }
    }

    private static void nanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
