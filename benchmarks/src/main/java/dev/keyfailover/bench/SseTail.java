package dev.keyfailover.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import jakarta.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * One candidate's SSE delays against a peer's (issue 22: "added p99 below MITRE's"), over all of scenario 11's rounds
 * at once rather than round by round. A round's p99 rests on its 1 % slowest events, about a hundred, and moves from
 * one round to the next by more than the candidates differ; pooling every round's events (the load generator sends
 * each cell's whole histogram) gives a p99 of about a thousand, and a bootstrap over the rounds says how far that
 * figure can be trusted.
 *
 * <p>Only rounds in which both have events take part, and they stay paired: a resample draws rounds, and takes the
 * candidate's and the peer's events of the same rounds, so a busy moment of the machine falls on both alike.
 * Direct's p99 would be subtracted from both, so the difference of the added p99s is the difference of the p99s.
 *
 * @param candidate the candidate's histogram of each paired round
 * @param peer the peer's histogram of the same rounds, in the same order
 */
record SseTail(List<Histogram> candidate, List<Histogram> peer) {

    /** Resamples of the bootstrap: enough for a 95 % interval's ends to settle within a few µs. */
    static final int RESAMPLES = 2000;
    /** Fixed, so that the same raw results give the same report. */
    private static final long SEED = 22;

    /** The paired rounds of {@code candidate} and {@code peer} in the cell that {@code cell} picks from a round. */
    static SseTail of(List<Round> rounds, Function<Round, Map<Target, JsonObject>> cell, Target candidate, Target peer) {
        List<Histogram> mine = new ArrayList<>();
        List<Histogram> theirs = new ArrayList<>();
        for (Round round : rounds) {
            Histogram a = histogram(cell.apply(round).get(candidate));
            Histogram b = histogram(cell.apply(round).get(peer));
            if (a != null && b != null) {
                mine.add(a);
                theirs.add(b);
            }
        }
        return new SseTail(List.copyOf(mine), List.copyOf(theirs));
    }

    /** The delays of a cell's result, or null when it has none (no events, or a result from before they were sent). */
    static Histogram histogram(JsonObject result) {
        if (result == null || !result.containsKey(LatencyJson.HISTOGRAM)) {
            return null;
        }
        Histogram h = LatencyJson.decoded(result.getString(LatencyJson.HISTOGRAM));
        return h.getTotalCount() > 0 ? h : null;
    }

    int pairedRounds() {
        return candidate.size();
    }

    /** The candidate's pooled p99 minus the peer's, in ms; NaN without a paired round. */
    double p99DifferenceMs() {
        return pairedRounds() == 0 ? Double.NaN : difference(everyRound(), LatencyJson.histogram(),
                LatencyJson.histogram());
    }

    /**
     * The middle 95 % of the difference over {@link #RESAMPLES} resamples of the rounds (percentile bootstrap), in ms:
     * {@code [low, high]}; NaNs with fewer than two paired rounds.
     */
    double[] interval95Ms() {
        int n = pairedRounds();
        if (n < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Random random = new Random(SEED);
        double[] differences = new double[RESAMPLES];
        int[] drawn = new int[n];
        Histogram a = LatencyJson.histogram();
        Histogram b = LatencyJson.histogram();
        for (int i = 0; i < RESAMPLES; i++) {
            for (int j = 0; j < n; j++) {
                drawn[j] = random.nextInt(n);
            }
            differences[i] = difference(drawn, a, b);
        }
        Arrays.sort(differences);
        return new double[] {differences[(int) (RESAMPLES * 0.025)], differences[(int) (RESAMPLES * 0.975) - 1]};
    }

    /** Rounds in which the candidate's p99 was below the peer's. */
    int roundsBelow() {
        int below = 0;
        for (int i = 0; i < pairedRounds(); i++) {
            below += p99(candidate.get(i)) < p99(peer.get(i)) ? 1 : 0;
        }
        return below;
    }

    /** Rounds in which the two p99s were equal (at the histograms' precision): the sign test leaves them out. */
    int roundsTied() {
        int tied = 0;
        for (int i = 0; i < pairedRounds(); i++) {
            tied += p99(candidate.get(i)) == p99(peer.get(i)) ? 1 : 0;
        }
        return tied;
    }

    /**
     * The two-sided sign test's p-value of the rounds' verdicts: how likely a split at least this uneven is when
     * neither is faster. Below 0.05, the rounds side with one of them; above, they do not tell.
     */
    double signTestP() {
        return signTestP(roundsBelow(), pairedRounds() - roundsTied());
    }

    /** Two-sided exact binomial test of {@code below} successes in {@code n} fair trials. */
    static double signTestP(int below, int n) {
        if (n == 0) {
            return 1;
        }
        int tail = Math.min(below, n - below);
        double p = 0;
        double choose = 1; // C(n, 0)
        for (int k = 0; k <= tail; k++) {
            p += choose * Math.pow(0.5, n);
            choose = choose * (n - k) / (k + 1);
        }
        return Math.min(1, 2 * p);
    }

    private int[] everyRound() {
        int[] all = new int[pairedRounds()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    /** Pools the drawn rounds into the two (reset) scratch histograms and answers their p99s' difference, in ms. */
    private double difference(int[] drawn, Histogram a, Histogram b) {
        a.reset();
        b.reset();
        for (int index : drawn) {
            a.add(candidate.get(index));
            b.add(peer.get(index));
        }
        return (p99(a) - p99(b)) / 1000.0;
    }

    private static long p99(Histogram h) {
        return h.getValueAtPercentile(99);
    }
}
