package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;
import static dev.keyfailover.bench.Markdown.errors;
import static dev.keyfailover.bench.Markdown.fmt;
import static dev.keyfailover.bench.Markdown.mib;
import static dev.keyfailover.bench.Markdown.ratio;

import java.util.Map;

import jakarta.json.JsonObject;

/** Scenario 4's results and their table: two rows per target, upload and download. */
record SmallHeapMemoryResults(int uploads, int downloads, Map<Target, Transfers> byTarget) implements Section {

    /**
     * One candidate's runs, each with the memory figures of its JVM after it (null for direct).
     *
     * @param upload the upload run, with the upstream's counters
     * @param idleMemory the figures before the upload: the heap of the idle JVM after a collection
     * @param alive whether the JVM was still running at the end
     */
    record Transfers(JsonObject upload, JsonObject uploadMemory, JsonObject download, JsonObject downloadMemory,
            JsonObject idleMemory, boolean alive) {
    }

    @Override
    public void writeTo(StringBuilder md) {
        md.append("## Scenario 4: memory, proxy JVM at `").append(CandidateJvm.SMALL_HEAP).append("`\n\n");
        md.append("A 20 MiB JSON POST, ").append(uploads).append(" times in a row (KeyFailoverServlet: route whose "
                + "first two keys answer 429, so the body is sent upstream three times; the others forward it once), "
                + "then a 200 MiB streamed (chunked) answer, ").append(downloads).append(" times. Each candidate in a "
                + "fresh JVM; counters reset (after a `System.gc()`) before each part. Peak heap = highest heap use "
                + "sampled every 10 ms or recorded by the pools (garbage included); live after GC = the largest heap "
                + "left after a collection; RSS peak = `VmHWM` of `/proc/<pid>/status` (reset through "
                + "`clear_refs`).\n\n");
        md.append("| candidate | part | ok | time p50 s | vs direct | vs Jetty | MiB/s | peak heap MiB | "
                + "live after GC MiB | RSS peak MiB | idle heap MiB | errors |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        Transfers direct = byTarget.get(Target.DIRECT);
        Transfers jetty = byTarget.get(Target.JETTY);
        for (Map.Entry<Target, Transfers> e : byTarget.entrySet()) {
            Target target = e.getKey();
            Transfers t = e.getValue();
            row(md, target.name(), "20 MiB upload" + (target == Target.KEYFAILOVER ? " ×3 attempts" : ""), t.upload(),
                    t.uploadMemory(), direct.upload(), jetty == null ? null : jetty.upload(), t);
            row(md, target.name(), "200 MiB download", t.download(), t.downloadMemory(), direct.download(),
                    jetty == null ? null : jetty.download(), t);
        }
        md.append('\n');
    }

    private static void row(StringBuilder md, String name, String part, JsonObject run, JsonObject memory,
            JsonObject direct, JsonObject jetty, Transfers transfers) {
        double bytes = num(run, "transferredBytes");
        double seconds = num(run, "count") == 0 ? 0 : num(run, "meanus") * num(run, "count") / 1e6;
        JsonObject idle = transfers.idleMemory();
        Markdown.row(md, name, part, fmt(num(run, "count"), 0), fmt(num(run, "p50us") / 1e6, 3),
                ratio(num(run, "p50us"), num(direct, "p50us")),
                ratio(num(run, "p50us"), num(jetty, "p50us")),
                seconds == 0 ? "" : fmt(bytes / 1048576 / seconds, 0),
                memory == null ? "" : mib(num(memory, "peakHeapUsed")),
                memory == null ? "" : mib(num(memory, "peakHeapAfterGc")),
                memory == null ? "" : fmt(num(memory, "vmHwmKb") / 1024, 0),
                idle == null ? "" : mib(num(idle, "heapUsed")),
                errors(run, "ok") + (transfers.alive() ? "" : " JVM died"));
    }
}
