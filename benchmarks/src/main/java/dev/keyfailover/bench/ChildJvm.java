package dev.keyfailover.bench;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** A measurement that runs to its end in a child JVM of its own and leaves its results as a JSON file. */
final class ChildJvm {

    private ChildJvm() {
    }

    /** Runs {@code main} with {@code args} plus {@code --json=FILE}; returns the JSON it wrote. */
    static JsonObject run(Lab lab, String name, List<String> flags, Class<?> main, List<String> args, int timeoutSeconds)
            throws Exception {
        Processes processes = lab.processes();
        Path json = processes.runDir().resolve(name + ".json").toAbsolutePath();
        Files.deleteIfExists(json);
        List<String> all = new ArrayList<>(args);
        all.add("--json=" + json);
        Process process = processes.start(processes.logFor(name), lab.options().java17(), flags, main, all);
        if (!processes.awaitExit(process, timeoutSeconds) || !Files.exists(json)) {
            throw new IllegalStateException(name + " did not finish with results; see its log in " + processes.runDir());
        }
        try (var reader = Json.createReader(new StringReader(Files.readString(json)))) {
            return reader.readObject();
        }
    }
}
