package dev.keyfailover.bench;

import java.util.List;

/**
 * Scenario 11's three charts, one line per candidate across the rounds: CPU per request against Jetty ProxyServlet's
 * in the same round at c = 16 and 64, and the SSE added p99 per event in the one-after-the-other and the side-by-side
 * cells; each with issue 22's target as a line of its
 * own.
 */
final class RoundsCharts {

    private RoundsCharts() {
    }

    static List<Chart> of(List<Target> targets, List<Round> rounds) {
        Chart cpu = Chart.lines("s11-cpu-vs-jetty", "Scenario 11: proxy CPU per request / Jetty ProxyServlet's, "
                + "same round", "CPU / Jetty's");
        Chart sse = Chart.lines("s11-sse-added-p99", "Scenario 11: SSE, delay added per event, p99 (over direct, "
                + "same round)", "added p99 ms");
        Chart together = Chart.lines("s11-sse-side-by-side-p99", "Scenario 11: SSE side by side, delay added per "
                + "event, p99 (over direct, same seconds)", "added p99 ms");
        for (Round round : rounds) {
            String group = "round " + round.number();
            for (Target target : targets) {
                if (Rounds.hasJsonCells(target) && target != Target.JETTY) {
                    for (int c : Rounds.CONCURRENCIES) {
                        cpu.point(target.name() + ", c = " + c, group, round.cpuVsJetty(target, c));
                    }
                }
                if (Rounds.hasSseCell(target) && !target.direct()) {
                    sse.point(target.name(), group, round.sseAddedMs(target, "p99us"));
                    together.point(target.name(), group, round.togetherAddedMs(target, "p99us"));
                }
            }
            cpu.point("target: " + Markdown.fmt(Round.CPU_TARGET_RATIO, 1) + "x", group, Round.CPU_TARGET_RATIO);
            for (Chart chart : List.of(sse, together)) {
                chart.point("target: " + Markdown.fmt(Round.SSE_P99_TARGET_MS, 0) + " ms", group,
                        Round.SSE_P99_TARGET_MS);
            }
        }
        boolean json = rounds.stream().anyMatch(r -> !r.json().isEmpty());
        return json ? List.of(cpu, sse, together) : List.of(sse, together);
    }
}
