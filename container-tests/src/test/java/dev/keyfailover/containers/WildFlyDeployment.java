package dev.keyfailover.containers;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The WAR on the real WildFly distribution (unpacked by the build from {@code org.wildfly:wildfly-dist}):
 * {@code bin/standalone.sh} runs as a separate process, on the JVM running the tests, on ports the
 * build reserved, gets the WAR's environment through {@link ProcessBuilder}, and deploys the file
 * copied into {@code standalone/deployments} as {@code ROOT.war}; the scanner's {@code .deployed}
 * marker says when.
 */
final class WildFlyDeployment implements Deployment {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** The io subsystem's worker, as {@code standalone.xml} ships it: every attribute at its default. */
    private static final String DEFAULT_WORKER = "<worker name=\"default\"/>";

    private final Process process;
    private final Path dumpDir;

    private WildFlyDeployment(Process process, Path dumpDir) {
        this.process = process;
        this.dumpDir = dumpDir;
    }

    /** {@code standalone.xml} as shipped; the API dump in the directory the build gave WildFly. */
    static WildFlyDeployment start() throws Exception {
        return start(Path.of(System.getProperty("wildfly.dump.dir")), null);
    }

    /**
     * A copy of {@code standalone.xml} whose default io worker (the one Undertow's HTTP listener uses)
     * has {@code task-max-threads} raised, as the CLI's
     * {@code /subsystem=io/worker=default:write-attribute(name=task-max-threads,value=…)} would; no dump.
     */
    static WildFlyDeployment startWithWorkerThreads(int taskMaxThreads) throws Exception {
        Path configuration = home().resolve("standalone/configuration");
        String shipped = Files.readString(configuration.resolve("standalone.xml"), StandardCharsets.UTF_8);
        if (!shipped.contains(DEFAULT_WORKER)) {
            throw new IllegalStateException("standalone.xml no longer declares " + DEFAULT_WORKER
                    + ": see how this WildFly version configures its io worker");
        }
        String config = "standalone-worker-" + taskMaxThreads + ".xml";
        Files.writeString(configuration.resolve(config), shipped.replace(DEFAULT_WORKER,
                "<worker name=\"default\" task-max-threads=\"" + taskMaxThreads + "\"/>"), StandardCharsets.UTF_8);
        return start(null, config);
    }

    /**
     * @param dumpDir the API dump directory, {@code null} for none
     * @param serverConfig a file of {@code standalone/configuration}, {@code null} for {@code standalone.xml}
     */
    private static WildFlyDeployment start(Path dumpDir, String serverConfig) throws Exception {
        Path home = home();
        Path standalone = home.resolve("standalone");
        for (String leftover : List.of("deployments", "data", "tmp", "log")) {
            deleteContents(standalone.resolve(leftover));
        }
        Path deployments = Files.createDirectories(standalone.resolve("deployments"));
        Path console = Path.of(System.getProperty("wildfly.console.log"));
        Files.createDirectories(console.getParent());

        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/standalone.sh").toString(),
                "-Djboss.bind.address=127.0.0.1", "-Djboss.bind.address.management=127.0.0.1"));
        for (String port : List.of("jboss.http.port", "jboss.https.port", "jboss.management.http.port",
                "jboss.management.https.port", "jboss.ajp.port")) {
            command.add("-D" + port + "=" + System.getProperty("wildfly." + port.substring("jboss.".length())));
        }
        if (serverConfig != null) {
            command.add("--server-config=" + serverConfig);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(console.toFile());
        Map<String, String> environment = builder.environment();
        Env.copyInto(environment);
        if (dumpDir != null) {
            environment.put("KEYFAILOVER_DUMP_DIR", dumpDir.toString());
        } else {
            environment.remove("KEYFAILOVER_DUMP_DIR");
        }
        // The JVM running the tests: Java 17 for the scenario suite, Java 25 for the 2,000-stream run.
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        // standalone.sh then relays signals to the server's JVM (close() signals the JVM itself: see there).
        environment.put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        environment.remove("JAVA_OPTS");

        Files.copy(Env.war(), deployments.resolve("ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
        Process process = builder.start();
        WildFlyDeployment deployment = new WildFlyDeployment(process, dumpDir);
        try {
            Path deployed = deployments.resolve("ROOT.war.deployed");
            Path failed = deployments.resolve("ROOT.war.failed");
            await("WildFly deploys ROOT.war").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.exists(deployed) || Files.exists(failed) || !process.isAlive());
            if (!Files.exists(deployed)) {
                throw new IllegalStateException("ROOT.war did not deploy on WildFly"
                        + (Files.exists(failed) ? ": " + Files.readString(failed) : ", the server stopped")
                        + "\n--- console (" + console + ") ---\n" + tail(console));
            }
        } catch (RuntimeException | Error e) {
            deployment.close();
            throw e;
        }
        return deployment;
    }

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + System.getProperty("wildfly.http.port"));
    }

    @Override
    public Path dumpDir() {
        if (dumpDir == null) {
            throw new IllegalStateException("this WildFly was started without an API dump");
        }
        return dumpDir;
    }

    /** The threads of WildFly's JVM now, as Linux counts them ({@code /proc/<pid>/status}). */
    int serverThreads() throws IOException {
        ProcessHandle jvm = process.descendants()
                .filter(child -> child.info().command().map(command -> command.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("WildFly's JVM is not running"));
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(jvm.pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalStateException("no thread count in /proc/" + jvm.pid() + "/status");
    }

    /**
     * Stops the server's JVM with a TERM (a graceful shutdown), then the script. Not the other way
     * round: {@code standalone.sh} relays a TERM to the JVM, but then its wait loop can spin until
     * killed (bash keeps reporting the JVM's exit status, 143, as a signal).
     */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        for (ProcessHandle child : tree) {
            child.destroy();
        }
        for (ProcessHandle child : tree) {
            try {
                child.onExit().get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                child.destroyForcibly();
            }
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private static Path home() {
        return Path.of(System.getProperty("wildfly.home"));
    }

    private static void deleteContents(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!file.equals(dir)) {
                    Files.delete(file);
                }
            }
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no console output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}
