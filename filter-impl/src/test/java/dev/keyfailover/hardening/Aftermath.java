package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.keyfailover.testing.ProxyServer;

/** What must hold after every fault: no leased upstream connection, no temp file, no thread left in the proxy. */
final class Aftermath {

    private Aftermath() {
    }

    /** Waits (a few seconds at most) for the proxy to let go of everything, then checks the spill directory. */
    static void assertClean(ProxyServer proxy, Path spillDir) throws IOException {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(proxy.route().client().connectionStats().getLeased()).as("leased upstream connections")
                    .isZero();
            assertThat(threadsInTheProxy()).as("threads still inside the proxy").isEmpty();
        });
        if (spillDir != null) {
            try (Stream<Path> left = Files.list(spillDir)) {
                assertThat(left).as("temp files left in the spill directory").isEmpty();
            }
        }
    }

    /** A thread dump reduced to the threads that are inside the proxy's request path, with their stacks. */
    static List<String> threadsInTheProxy() {
        List<String> inside = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement frame : thread.getValue()) {
                if (frame.getClassName().startsWith("dev.keyfailover.servlet.ProxyRoute")
                        || frame.getClassName().startsWith("dev.keyfailover.chain.")) {
                    inside.add(thread.getKey().getName() + " " + thread.getKey().getState() + " at "
                            + List.of(thread.getValue()).subList(0, Math.min(12, thread.getValue().length)));
                    break;
                }
            }
        }
        return inside;
    }
}
