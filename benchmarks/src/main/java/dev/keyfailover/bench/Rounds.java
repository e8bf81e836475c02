package dev.keyfailover.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

/**
 * Scenario 11: repeated, interleaved rounds of scenario 1's c = 16 and c = 64 cells and scenario 2's SSE cell, for
 * issue 22's CPU and SSE targets. On a shared machine one run of a cell swings by 30 % between runs of the same build,
 * so one run proves nothing: every candidate JVM starts and warms up once ({@link WarmCandidates}) and stays up, then
 * each of {@link Options#rounds()} rounds measures every cell once, the targets in an order that rotates from round
 * to round ({@link Round#order}). Every comparison is made within a round, then summarised over the rounds.
 */
final class Rounds implements Scenario {

    /**
     * The cycle the rounds rotate: direct, the KeyFailoverServlet rows (the "(before)" ones only with an earlier
     * build), Jetty's proxy with and without a flush, MITRE's.
     */
    static final List<Target> TARGETS = List.of(Target.DIRECT, Target.KEYFAILOVER_METRICS_BEFORE,
            Target.KEYFAILOVER_METRICS, Target.KEYFAILOVER_BEFORE, Target.KEYFAILOVER, Target.JETTY, Target.JETTY_FLUSH,
            Target.MITRE);
    static final List<Integer> CONCURRENCIES = List.of(16, 64);
    /**
     * Streams per target in the side-by-side SSE cell: with five streaming targets about as many events a second in
     * all as the 16 streams of one target in scenario 2's cell.
     */
    static final int TOGETHER_STREAMS = 4;

    @Override
    public int number() {
        return 11;
    }

    /** A scenario 1 cell: every proxy but Jetty's with a flush (for streams only); direct has no proxy CPU to measure. */
    static boolean hasJsonCells(Target target) {
        return !target.direct() && target != Target.JETTY_FLUSH;
    }

    /** The SSE cell: direct (the baseline) and every proxy but stock Jetty's, which holds events to the stream's end. */
    static boolean hasSseCell(Target target) {
        return target != Target.JETTY;
    }

    @Override
    public Section measure(Lab lab) throws Exception {
        Options options = lab.options();
        Map<Target, Endpoint> endpoints = new LinkedHashMap<>();
        try {
            for (Target target : TARGETS) {
                if (WarmCandidates.runs(target, options) && (!options.sseOnly() || hasSseCell(target))) {
                    Endpoint endpoint = WarmCandidates.open(lab, target);
                    endpoints.put(target, endpoint);
                    WarmCandidates.warmUp(endpoint, lab);
                }
            }
            List<Target> jsonCycle = options.sseOnly() ? List.of()
                    : endpoints.keySet().stream().filter(Rounds::hasJsonCells).toList();
            List<Target> sseCycle = endpoints.keySet().stream().filter(Rounds::hasSseCell).toList();
            List<Round> rounds = new ArrayList<>();
            for (int index = 0; index < options.rounds(); index++) {
                rounds.add(round(lab, endpoints, index, Round.order(jsonCycle, index), Round.order(sseCycle, index)));
            }
            return new RoundsResults(options.warmupSeconds(), options.measureSeconds(), List.copyOf(endpoints.keySet()),
                    rounds);
        } finally {
            for (Endpoint endpoint : endpoints.values()) {
                endpoint.close();
            }
        }
    }

    /** Each cell in turn, the targets of each in this round's order. */
    private static Round round(Lab lab, Map<Target, Endpoint> endpoints, int index, List<Target> jsonOrder,
            List<Target> sseOrder) throws Exception {
        int number = index + 1;
        Machine.LoadAverage start = Machine.LoadAverage.now();
        System.out.println("[bench] s11 round " + number + " of " + lab.options().rounds() + ", load average "
                + start.text());
        Map<Integer, Map<Target, JsonObject>> json = new LinkedHashMap<>();
        for (int c : jsonOrder.isEmpty() ? List.<Integer>of() : CONCURRENCIES) {
            Map<Target, JsonObject> cell = json.computeIfAbsent(c, k -> new LinkedHashMap<>());
            for (Target target : jsonOrder) {
                cell.put(target, JsonThroughput.cell(lab, endpoints.get(target), c,
                        target.name() + " s11 r" + number + " c=" + c));
            }
        }
        Map<Target, JsonObject> sse = new LinkedHashMap<>();
        for (Target target : sseOrder) {
            sse.put(target, SseDelay.cell(lab, endpoints.get(target), target.name() + " s11 r" + number + " sse"));
        }
        Map<Target, JsonObject> together = SseDelay.together(lab, sseOrder.stream().map(endpoints::get).toList(),
                TOGETHER_STREAMS, "s11 r" + number + " sse side by side");
        return new Round(number, start, Machine.LoadAverage.now(), jsonOrder, sseOrder, json, sse, together);
    }
}
