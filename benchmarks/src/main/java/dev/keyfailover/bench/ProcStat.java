package dev.keyfailover.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * CPU time and RSS of a process that has no JVM reporter (Portkey's Node process), read from /proc as the JVM
 * candidates read theirs from {@code getProcessCpuTime()} and {@code /proc/self/status}: {@code cpuNanos} = utime +
 * stime (all threads) of {@code /proc/<pid>/stat}, in clock ticks of {@code getconf CLK_TCK} (10 ms at 100 Hz, fine
 * over cells of thousands of requests); {@code vmRssKb}, {@code vmHwmKb}.
 */
final class ProcStat {

    private static final long TICK_NANOS = 1_000_000_000L / clockTicks();

    private final Path dir;

    ProcStat(long pid) {
        this.dir = Path.of("/proc", String.valueOf(pid));
    }

    JsonObject read() throws IOException {
        return Json.createObjectBuilder().add("cpuNanos", cpuNanos()).add("vmRssKb", status("VmRSS"))
                .add("vmHwmKb", status("VmHWM")).build();
    }

    /** Resets the RSS high-water mark ({@code VmHWM}), as the JVM reporter does for itself. */
    void resetHighWaterMark() {
        try {
            Files.writeString(dir.resolve("clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot reset VmHWM of " + dir + ": " + e);
        }
    }

    long cpuNanos() throws IOException {
        String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
        // Fields after the command (in parentheses, which may hold spaces): state is field 3, utime 14, stime 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
    }

    private long status(String field) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
