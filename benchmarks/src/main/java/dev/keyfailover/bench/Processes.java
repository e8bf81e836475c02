package dev.keyfailover.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The child JVMs of one run: each starts with its command line and output in a numbered log file
 * of the run directory, and whatever is still running is stopped at the end, failure or not.
 */
final class Processes {

    private final Path runDir;
    private final Path logs;
    private final String classpath = System.getProperty("java.class.path");
    private final List<Process> running = new ArrayList<>();
    private Path beforeClasses;
    private int logSeq;

    Processes(Path runDir) throws IOException {
        this.runDir = runDir;
        this.logs = runDir.resolve("logs");
        Files.createDirectories(logs);
    }

    Path runDir() {
        return runDir;
    }

    /** The earlier filter-impl build that {@link Target#before()} candidates run ({@code --before=DIR}), or null. */
    Path beforeClasses() {
        if (beforeClasses == null) {
            throw new IllegalStateException("a 'before' candidate needs --before=DIR");
        }
        return beforeClasses;
    }

    void beforeClasses(Path classes) {
        this.beforeClasses = classes;
    }

    /** A new log file; the number keeps the files in the order the processes started. */
    Path logFor(String name) {
        return logs.resolve(String.format(Locale.ROOT, "%03d-%s.log", ++logSeq, name));
    }

    Process start(Path log, String java, List<String> flags, Class<?> main, List<String> args) throws IOException {
        return start(log, java, flags, null, main, args);
    }

    /** The same with {@code classpathFirst} (a directory of classes) in front of this classpath, when not null. */
    Process start(Path log, String java, List<String> flags, Path classpathFirst, Class<?> main, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        command.add("-cp");
        command.add(classpathFirst == null ? classpath
                : classpathFirst.toAbsolutePath() + File.pathSeparator + classpath);
        command.add(main.getName());
        command.addAll(args);
        Files.writeString(log, String.join(" ", command) + "\n");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        running.add(process);
        return process;
    }

    /** Starts a process that is not a JVM of this classpath (Portkey's Node) in {@code dir}, with {@code env} added. */
    Process startCommand(Path log, Path dir, List<String> command, java.util.Map<String, String> env) throws IOException {
        Files.writeString(log, env + " " + String.join(" ", command) + "\n");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        running.add(process);
        return process;
    }

    /** Waits for a process that ends by itself; false, and the process killed, if it has not after {@code seconds}. */
    boolean awaitExit(Process process, int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        running.remove(process);
        return true;
    }

    void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        running.remove(process);
    }

    void stopAll() {
        for (Process process : new ArrayList<>(running)) {
            process.destroy();
        }
        for (Process process : new ArrayList<>(running)) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
        running.clear();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                if (socket.isConnected()) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nothing listens on " + port);
                }
                Thread.sleep(100);
            }
        }
    }

    static void awaitHttp(int port, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                LocalHttp.get(port, path);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer on " + port + path);
                }
                Thread.sleep(100);
            }
        }
    }
}
