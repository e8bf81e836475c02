package dev.keyfailover.bench;

import static dev.keyfailover.bench.Markdown.fmt;
import static dev.keyfailover.bench.Markdown.row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * Scenario 11's SSE cells with every round's events pooled ({@link SseTail}): per candidate its pooled percentiles
 * and added p99, and per KeyFailoverServlet row its p99 against MITRE ProxyServlet's with a 95 % bootstrap interval
 * and the rounds' sign test, for the cell one after the other and the side-by-side cell.
 */
record SseTailResults(List<Target> targets, List<Round> rounds) {

    /** Below this many paired rounds a bootstrap over them has too few distinct resamples to be trusted. */
    static final int MIN_ROUNDS = 8;

    void writeTo(StringBuilder md) {
        md.append("### SSE, every round's events pooled\n\n")
                .append("A round's p99 rests on its 1 % slowest events, so it swings from round to round by more ")
                .append("than the candidates differ. Here each candidate's events of all rounds are pooled (the load ")
                .append("generator sends each cell's whole histogram), and a KeyFailoverServlet row's pooled p99 is ")
                .append("set against MITRE ProxyServlet's: the difference, the middle 95 % of it over ")
                .append(SseTail.RESAMPLES).append(" bootstrap resamples of the rounds (a resample draws rounds with ")
                .append("replacement and takes both candidates' events of the drawn rounds, so they stay paired), and ")
                .append("the rounds in which it was below MITRE's with the sign test's two-sided p-value. An interval ")
                .append("wholly below zero says keyfailover's tail is shorter than MITRE's; wholly above, longer; ")
                .append("across zero, these rounds cannot tell them apart. No verdict under ")
                .append(MIN_ROUNDS).append(" paired rounds.\n\n");
        cell(md, "One cell after the other", Round::sse);
        cell(md, "Side by side", Round::together);
    }

    private void cell(StringBuilder md, String name, Function<Round, Map<Target, JsonObject>> cell) {
        Histogram direct = pooled(Target.DIRECT, cell);
        md.append("#### ").append(name).append("\n\n")
                .append("| candidate | events | pooled p50 ms | pooled p99 ms | added p99 ms (over direct's pooled p99) ")
                .append("| p99 − MITRE's ms | 95 % interval ms | rounds below MITRE's | sign test p | verdict |\n")
                .append("|---|---:|---:|---:|---:|---:|---|---:|---:|---|\n");
        for (Target target : targets) {
            if (!Rounds.hasSseCell(target)) {
                continue;
            }
            Histogram all = pooled(target, cell);
            List<String> columns = new ArrayList<>(List.of(target.name(), String.valueOf(all.getTotalCount()),
                    ms(all, 50), ms(all, 99), target.direct() || direct.getTotalCount() == 0 || all.getTotalCount() == 0
                            ? "" : fmt((all.getValueAtPercentile(99) - direct.getValueAtPercentile(99)) / 1000.0, 3)));
            columns.addAll(againstMitre(target, cell));
            row(md, columns.toArray(String[]::new));
        }
        md.append('\n');
    }

    /** The comparison columns of a KeyFailoverServlet row; empty cells for the others. */
    private List<String> againstMitre(Target target, Function<Round, Map<Target, JsonObject>> cell) {
        if (target.kind() == null || !target.kind().startsWith("keyfailover")) {
            return List.of("", "", "", "", "");
        }
        SseTail tail = SseTail.of(rounds, cell, target, Target.MITRE);
        if (tail.pairedRounds() == 0) {
            return List.of("", "", "", "", "no paired round");
        }
        double[] interval = tail.interval95Ms();
        String verdict = tail.pairedRounds() < MIN_ROUNDS ? "too few rounds for a verdict"
                : interval[1] < 0 ? "**below MITRE's**" : interval[0] > 0 ? "above MITRE's" : "not told apart";
        int decided = tail.pairedRounds() - tail.roundsTied();
        return List.of(fmt(tail.p99DifferenceMs(), 3), "[" + fmt(interval[0], 3) + ", " + fmt(interval[1], 3) + "]",
                tail.roundsBelow() + " of " + decided, fmt(tail.signTestP(), 3), verdict);
    }

    /** Every event of the target's cells in all rounds. */
    private Histogram pooled(Target target, Function<Round, Map<Target, JsonObject>> cell) {
        Histogram all = LatencyJson.histogram();
        for (Round round : rounds) {
            Histogram h = SseTail.histogram(cell.apply(round).get(target));
            if (h != null) {
                all.add(h);
            }
        }
        return all;
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "" : fmt(h.getValueAtPercentile(percentile) / 1000.0, 3);
    }
}
