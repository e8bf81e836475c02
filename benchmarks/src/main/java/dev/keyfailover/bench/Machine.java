package dev.keyfailover.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the machine and the JDKs a run used, for the report. */
final class Machine {

    private Machine() {
    }

    static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name");
    }

    static String memory() {
        return procLine("/proc/meminfo", "MemTotal");
    }

    /** The load average now, as the report prints it ("2.29 (1 min), 3.01 (5 min)"). */
    static String loadAverage() {
        return LoadAverage.now().text();
    }

    /**
     * The 1- and 5-minute load averages of {@code /proc/loadavg}; NaN where the file cannot be read.
     */
    record LoadAverage(double oneMinute, double fiveMinutes) {

        static LoadAverage now() {
            try {
                String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4);
                return new LoadAverage(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]));
            } catch (IOException | RuntimeException e) {
                return new LoadAverage(Double.NaN, Double.NaN);
            }
        }

        String text() {
            return Double.isNaN(oneMinute) ? "?"
                    : Markdown.fmt(oneMinute, 2) + " (1 min), " + Markdown.fmt(fiveMinutes, 2) + " (5 min)";
        }
    }

    /** The runtime line of {@code java -version}, e.g. "OpenJDK Runtime Environment (build 17.0.15+6)". */
    static String javaVersion(String java) throws Exception {
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String[] lines = text.split("\n");
        return (lines.length > 1 ? lines[1] : lines[0]).trim();
    }

    private static String procLine(String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(field)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }
}
