package dev.keyfailover.bench.pool;

/**
 * What one load phase of {@link SharedStateBench} did: client requests and errors (any answer but 200), and what the
 * upstream saw meanwhile (attempts, 429s, 401s); process CPU (0 where not measured) and wall time.
 */
record PhaseCounts(int requests, int errors, long attempts, long tooMany, long unauthorized, long cpuNanos,
        long wallNanos) {
}
