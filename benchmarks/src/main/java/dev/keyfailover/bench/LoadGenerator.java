package dev.keyfailover.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** Runs the load generator ({@link LoadGen}) in a JVM of its own per measurement, and keeps every result for raw.json. */
final class LoadGenerator {

    private final Processes processes;
    private final String java;
    private final Map<String, JsonObject> raw = new LinkedHashMap<>();
    /** Runs started and not yet collected, by label. */
    private final Map<String, Process> started = new LinkedHashMap<>();

    LoadGenerator(Processes processes, String java) {
        this.processes = processes;
        this.java = java;
    }

    /** One run to its end; its {@code RESULT} line. The label names it in the log, raw.json and the console. */
    JsonObject run(String label, List<String> args) throws Exception {
        return run(label, args, java, "-Xmx1g");
    }

    /** The same in another JVM ({@code java}) with another heap (scenario 7: Java 25, virtual threads). */
    JsonObject run(String label, List<String> args, String java, String heap) throws Exception {
        Path log = start(label, args, java, heap);
        return result(label, log);
    }

    /**
     * Several runs at the same time, one JVM each, so that every one meets the same moments of the machine (scenario
     * 11's side-by-side SSE cell); their results by label.
     */
    Map<String, JsonObject> runTogether(Map<String, List<String>> argsByLabel) throws Exception {
        Map<String, Path> logs = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> run : argsByLabel.entrySet()) {
            logs.put(run.getKey(), start(run.getKey(), run.getValue(), java, "-Xmx1g"));
        }
        Map<String, JsonObject> results = new LinkedHashMap<>();
        for (Map.Entry<String, Path> run : logs.entrySet()) {
            results.put(run.getKey(), result(run.getKey(), run.getValue()));
        }
        return results;
    }

    private Path start(String label, List<String> args, String java, String heap) throws Exception {
        System.out.println("[bench] " + label);
        Path log = processes.logFor("loadgen-" + label.replaceAll("[^A-Za-z0-9=]+", "-"));
        started.put(label, processes.start(log, java, List.of(heap, "-XX:+UseG1GC"), LoadGen.class, args));
        return log;
    }

    private JsonObject result(String label, Path log) throws Exception {
        if (!processes.awaitExit(started.remove(label), 300)) {
            throw new IllegalStateException("load generator hung: " + label);
        }
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("RESULT ")) {
                JsonObject result = JsonResults.parse(line.substring(7));
                raw.put(label, result);
                // The encoded histogram (SSE cells) is for the report's pooling, not for the console.
                System.out.println("[bench]   " + Json.createObjectBuilder(result).remove(LatencyJson.HISTOGRAM).build());
                return result;
            }
        }
        throw new IllegalStateException("no result from load generator '" + label + "', see " + log);
    }

    void writeRaw(Path file) throws IOException {
        Files.writeString(file, raw.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + e.getValue()).collect(Collectors.joining(",\n", "{\n", "\n}\n")));
    }
}
