package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;
import static dev.keyfailover.bench.Markdown.fmt;
import static dev.keyfailover.bench.Markdown.row;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;

/**
 * Scenario 11's results: the summary over the rounds (median, min, max, rounds that met issue 22's targets), the load
 * average and order of each round, and each round's own table.
 *
 * @param targets the targets that ran, in the cycle's order
 */
record RoundsResults(int warmupSeconds, int measureSeconds, List<Target> targets, List<Round> rounds)
        implements Section, Charted {

    @Override
    public List<Chart> charts() {
        return RoundsCharts.of(targets, rounds);
    }

    @Override
    public void writeTo(StringBuilder md) {
        md.append("## Scenario 11: repeated rounds, interleaved (issue 22's CPU and SSE targets)\n\n");
        md.append("Every candidate JVM is started once, with the JDK, pool, heap, flags and warm-up of scenarios 1 to ")
                .append("3, and stays up for the whole scenario. Then ").append(rounds.size())
                .append(" rounds; each measures every cell once: scenario 1's c = 16 and c = 64 (1 KiB JSON POSTs, ")
                .append(measureSeconds).append(" s measured after ").append(warmupSeconds)
                .append(" s warm-up; proxy CPU and allocation per request as in scenario 1), then scenario 2's SSE ")
                .append("cell (16 streams of 50 events 10 ms apart). **Interleaving:** within a cell the targets run ")
                .append("one after the other in the round's order; the order is one fixed cycle, and round r starts at ")
                .append("the cycle's target r (mod its length), so each target runs first in one round of every n and ")
                .append("no candidate always runs first; a target follows the same neighbour except in the round where ")
                .append("it runs first. **Every ratio is within a round:** a candidate's CPU per request is divided by ")
                .append("Jetty ProxyServlet's of the same round, and SSE added delay is the candidate's percentile minus ")
                .append("direct's of the same round; the summary is the median, min and max of those within-round ")
                .append("figures, never a figure of one round against another's. Direct has no JSON cells (no proxy ")
                .append("CPU to measure); stock Jetty ProxyServlet has no SSE cell (it holds small events to the end of ")
                .append("the stream, scenario 2), Jetty ProxyServlet + flush only that one.\n\n")
                .append("**SSE side by side:** each round ends with a second SSE cell in which direct and every ")
                .append("streaming candidate run at the same time, ").append(Rounds.TOGETHER_STREAMS)
                .append(" streams each, one load generator each: a moment when other work takes the cores falls on ")
                .append("all of them alike, so the added delay (candidate's percentile minus direct's over the same ")
                .append("seconds) no longer carries the swings of direct's own p99 from one cell to the next, which ")
                .append("on this machine are larger than any proxy's. \"To the proxy's write\" is the SSE probe of ")
                .append("scenario 2 (upstream's send time to the event reaching the proxy servlet's output).\n\n");
        if (!jsonMeasured()) {
            md.append("**This run measured the SSE cells only** (`--sse-only`): no CPU per request.\n\n");
        }
        summary(md);
        targetsMet(md);
        new SseTailResults(targets, rounds).writeTo(md);
        md.append("| round | load average at start | at end | order at c = 16 and 64 | order of the SSE cell |\n")
                .append("|---:|---|---|---|---|\n");
        for (Round round : rounds) {
            row(md, String.valueOf(round.number()), round.start().text(), round.end().text(), names(round.jsonOrder()),
                    names(round.sseOrder()));
        }
        md.append('\n');
        for (Round round : rounds) {
            perRound(md, round);
        }
    }

    private void summary(StringBuilder md) {
        md.append("### Over ").append(rounds.size()).append(" rounds\n\n")
                .append("| candidate | figure | median | min | max | rounds | target met |\n")
                .append("|---|---|---:|---:|---:|---:|---|\n");
        for (Target target : targets) {
            boolean peer = target != Target.JETTY;
            if (Rounds.hasJsonCells(target) && jsonMeasured()) {
                for (int c : Rounds.CONCURRENCIES) {
                    if (peer) {
                        figure(md, target, "CPU vs Jetty, c = " + c, 2, "x", r -> r.cpuVsJetty(target, c),
                                r -> r.cpuMet(target, c));
                    }
                }
                if (peer) {
                    figure(md, target, "CPU ≤ " + fmt(Round.CPU_TARGET_RATIO, 1) + "x Jetty's at c = 16 and 64", 2,
                            "x", r -> Double.NaN, r -> r.cpuMet(target, 16) && r.cpuMet(target, 64));
                }
                for (int c : Rounds.CONCURRENCIES) {
                    figure(md, target, "CPU µs/req, c = " + c, 0, "", r -> r.cpuUs(target, c), null);
                }
                for (int c : Rounds.CONCURRENCIES) {
                    figure(md, target, "alloc KiB/req, c = " + c, 1, "", r -> r.allocKiB(target, c), null);
                }
            }
            if (Rounds.hasSseCell(target) && !target.direct()) {
                figure(md, target, "SSE added p50 ms", 3, "", r -> r.sseAddedMs(target, "p50us"), null);
                figure(md, target, "SSE added p99 ms", 3, "", r -> r.sseAddedMs(target, "p99us"),
                        target == Target.MITRE ? null : r -> r.sseMet(target));
                figure(md, target, "SSE upstream to the proxy's write p50 ms", 3, "",
                        r -> r.sse(target, "handoffP50us", 0.001), null);
                figure(md, target, "SSE upstream to the proxy's write p99 ms", 3, "",
                        r -> r.sse(target, "handoffP99us", 0.001), null);
                figure(md, target, "SSE CPU µs/event", 1, "", r -> r.sse(target, "cpuUsPerEvent", 1), null);
                figure(md, target, "SSE side by side: added p50 ms", 3, "", r -> r.togetherAddedMs(target, "p50us"),
                        null);
                figure(md, target, "SSE side by side: added p99 ms", 3, "", r -> r.togetherAddedMs(target, "p99us"),
                        target == Target.MITRE ? null : r -> r.togetherMet(target));
                figure(md, target, "SSE side by side: to the proxy's write p99 ms", 3, "",
                        r -> r.together(target, "handoffP99us", 0.001), null);
            }
        }
        md.append('\n');
    }

    /** One row of the summary; {@code met} null where the figure has no target. */
    private void figure(StringBuilder md, Target target, String figure, int decimals, String unit,
            ToDoubleFunction<Round> value, Predicate<Round> met) {
        Spread spread = Spread.of(rounds.stream().map(r -> value.applyAsDouble(r)).toList());
        String count = met == null ? "" : met(met) + " of " + rounds.size() + " rounds";
        String suffix = spread.count() == 0 ? "" : unit;
        row(md, target.name(), figure, fmt(spread.median(), decimals) + suffix, fmt(spread.min(), decimals) + suffix,
                fmt(spread.max(), decimals) + suffix, spread.count() == 0 ? "" : String.valueOf(spread.count()), count);
    }

    /** Whether the rounds measured scenario 1's cells (not with {@code --sse-only}). */
    private boolean jsonMeasured() {
        return rounds.stream().anyMatch(r -> !r.json().isEmpty());
    }

    private long met(Predicate<Round> met) {
        return rounds.stream().filter(met).count();
    }

    /** Issue 22's two targets, in words, for each KeyFailoverServlet row. */
    private void targetsMet(StringBuilder md) {
        for (Target target : targets) {
            if (target.kind() == null || !target.kind().startsWith("keyfailover")) {
                continue;
            }
            md.append("- ").append(target.name()).append(": ");
            if (jsonMeasured()) {
                md.append("CPU per request ≤ ").append(fmt(Round.CPU_TARGET_RATIO, 1))
                        .append("x Jetty ProxyServlet's at c = 16 and 64 in the same round: **")
                        .append(met(r -> r.cpuMet(target, 16) && r.cpuMet(target, 64))).append(" of ")
                        .append(rounds.size()).append(" rounds**; ");
            }
            md.append("SSE added p99 ≤ ").append(fmt(Round.SSE_P99_TARGET_MS, 0))
                    .append(" ms and below MITRE ProxyServlet's in the same round: **").append(met(r -> r.sseMet(target)))
                    .append(" of ").append(rounds.size()).append(" rounds**, in the side-by-side cell **")
                    .append(met(r -> r.togetherMet(target))).append(" of ").append(rounds.size()).append(" rounds**.\n");
        }
        md.append('\n');
    }

    private void perRound(StringBuilder md, Round round) {
        md.append("### Round ").append(round.number()).append("\n\n")
                .append("| candidate | CPU vs Jetty (µs/req), c = 16 | c = 64 | SSE added p50 ms | added p99 ms | "
                        + "side by side: added p50 ms | added p99 ms | errors |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Target target : targets) {
            if (target.direct()) {
                continue;
            }
            List<String> cpu = new ArrayList<>();
            for (int c : Rounds.CONCURRENCIES) {
                cpu.add(Rounds.hasJsonCells(target) ? Markdown.ratio(round.cpuUs(target, c),
                        round.cpuUs(Target.JETTY, c)) + " (" + fmt(round.cpuUs(target, c), 0) + ")" : "");
            }
            row(md, target.name(), cpu.get(0), cpu.get(1), fmt(round.sseAddedMs(target, "p50us"), 3),
                    fmt(round.sseAddedMs(target, "p99us"), 3), fmt(round.togetherAddedMs(target, "p50us"), 3),
                    fmt(round.togetherAddedMs(target, "p99us"), 3), errors(round, target));
        }
        JsonObject direct = round.sse().get(Target.DIRECT);
        md.append("\nDirect, the SSE baseline of this round: p50 ").append(fmt(num(direct, "p50us") / 1000, 3))
                .append(" ms, p99 ").append(fmt(num(direct, "p99us") / 1000, 3)).append(" ms; errors: ")
                .append(direct == null ? "no result" : Markdown.errors(direct, "ok")).append("; side by side: p50 ")
                .append(fmt(round.together(Target.DIRECT, "p50us", 0.001), 3)).append(" ms, p99 ")
                .append(fmt(round.together(Target.DIRECT, "p99us", 0.001), 3)).append(" ms.\n\n");
    }

    /** The outcomes other than the good one of each of the target's cells in the round, e.g. "c = 64: status-502: 3". */
    private static String errors(Round round, Target target) {
        List<String> found = new ArrayList<>();
        for (int c : Rounds.CONCURRENCIES) {
            JsonObject r = round.json(target, c);
            if (r != null && !Markdown.errors(r, "status-200").equals("none")) {
                found.add("c = " + c + ": " + Markdown.errors(r, "status-200"));
            }
        }
        JsonObject sse = round.sse().get(target);
        if (sse != null && !Markdown.errors(sse, "ok").equals("none")) {
            found.add("SSE: " + Markdown.errors(sse, "ok"));
        }
        JsonObject together = round.together().get(target);
        if (together != null && !Markdown.errors(together, "ok").equals("none")) {
            found.add("SSE side by side: " + Markdown.errors(together, "ok"));
        }
        return found.isEmpty() ? "none" : String.join("; ", found);
    }

    private static String names(List<Target> order) {
        return order.stream().map(Target::name).collect(Collectors.joining(", "));
    }
}
