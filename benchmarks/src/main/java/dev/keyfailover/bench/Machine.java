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

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " (1 min), "
                    + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[1] + " (5 min)";
        } catch (IOException e) {
            return "?";
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
