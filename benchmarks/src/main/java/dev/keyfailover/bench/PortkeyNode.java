package dev.keyfailover.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/**
 * Portkey's open-source AI gateway ({@code @portkey-ai/gateway}, installed by run.sh into {@link #HOME}) in a Node
 * process of its own: {@code node build/start-server.js --port=P --headless} with {@code NODE_ENV=production} (no UI,
 * no log stream). It has no key pool of its own: every request carries an {@code x-portkey-config} header, a fallback
 * over the same upstream keys as KeyFailoverServlet's route ({@link #KEYS_BY_ROUTE}), each target the {@code openai}
 * provider with {@code custom_host} the fake upstream. Its CPU comes from {@code /proc/<pid>/stat} (no JVM reporter).
 */
final class PortkeyNode implements ProxyProcess {

    static final String VERSION = "1.15.2";
    static final Path HOME = Path.of("benchmarks/target/portkey");
    static final Path SERVER = HOME.resolve("node_modules/@portkey-ai/gateway/build/start-server.js");
    /** The keys of each KeyFailoverServlet route ({@link Candidate}), in pool order: the same fallback order here. */
    static final Map<String, List<String>> KEYS_BY_ROUTE = Map.of(
            "/k0", List.of(Candidate.GOOD_KEY),
            "/k1", List.of(Candidate.LIMITED_KEY_1, Candidate.GOOD_KEY),
            "/k2", List.of(Candidate.LIMITED_KEY_1, Candidate.LIMITED_KEY_2, Candidate.GOOD_KEY),
            "/c2", List.of(Candidate.COOLING_KEY_1, Candidate.COOLING_KEY_2, Candidate.GOOD_KEY));

    private final Processes processes;
    private final Process process;
    private final int port;
    private final int upstreamPort;
    private final ProcStat stat;

    private PortkeyNode(Processes processes, Process process, int port, int upstreamPort) {
        this.processes = processes;
        this.process = process;
        this.port = port;
        this.upstreamPort = upstreamPort;
        this.stat = new ProcStat(process.pid());
    }

    /** Why Portkey cannot run here (no package, no node), or null if it can. */
    static String unavailable() {
        if (!Files.isRegularFile(SERVER)) {
            return "no " + SERVER + " (run.sh installs @portkey-ai/gateway@" + VERSION + " there; see its message)";
        }
        String version = nodeVersion();
        return version == null ? "no working `node` on the PATH" : null;
    }

    /** {@code node --version}, or null without a working node. */
    static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static PortkeyNode start(Processes processes, int upstreamPort) throws Exception {
        int port = Processes.freePort();
        Path log = processes.logFor("portkey");
        Process process = processes.startCommand(log, HOME,
                List.of("node", SERVER.toAbsolutePath().toString(), "--port=" + port, "--headless"),
                Map.of("NODE_ENV", "production"));
        Processes.awaitPort(port);
        return new PortkeyNode(processes, process, port, upstreamPort);
    }

    @Override
    public int port() {
        return port;
    }

    /** Portkey's routes are its own ({@code /v1/...}); the route picks the keys of the config header instead. */
    @Override
    public List<String> routeArgs(String prefix) {
        List<String> keys = KEYS_BY_ROUTE.get(prefix);
        if (keys == null) {
            throw new IllegalArgumentException("no Portkey config for route " + prefix);
        }
        return List.of("prefix=", "header=x-portkey-config: " + config(upstreamPort, keys));
    }

    /** A fallback config over {@code keys}, each an {@code openai} target on the fake upstream. */
    static String config(int upstreamPort, List<String> keys) {
        JsonArrayBuilder targets = Json.createArrayBuilder();
        for (String key : keys) {
            targets.add(Json.createObjectBuilder().add("provider", "openai")
                    .add("custom_host", "http://127.0.0.1:" + upstreamPort + "/v1").add("api_key", key));
        }
        return Json.createObjectBuilder().add("strategy", Json.createObjectBuilder().add("mode", "fallback"))
                .add("targets", targets).build().toString();
    }

    @Override
    public JsonObject memory() throws IOException {
        return stat.read();
    }

    @Override
    public JsonObject resetMemory() throws IOException {
        stat.resetHighWaterMark();
        return stat.read();
    }

    @Override
    public void stop() throws InterruptedException {
        processes.stop(process);
    }
}
