package dev.keyfailover.bench.pool;

/** A key of {@link SharedStateBench#KEYS} answering 429 from {@code fromMillis} to {@code toMillis} after a phase's start. */
record Flip(int key, long fromMillis, long toMillis) {
}
