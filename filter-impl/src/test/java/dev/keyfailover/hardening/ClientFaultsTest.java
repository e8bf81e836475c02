package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that leave, stall or send too much: upstream is let go, nothing is buffered without bound, nothing leaks. */
class ClientFaultsTest {

    static final String KEY = "sk-good-0000000000001";
    static final long MiB = 1L << 20;

    @TempDir
    Path spill;
    private final FakeUpstream upstream = FakeUpstream.start();
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private static Socket connect(ProxyServer proxy) throws Exception {
        Socket socket = new Socket("127.0.0.1", proxy.port());
        socket.setSoTimeout(15_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws Exception {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static void reset(Socket socket) throws Exception {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Test
    void aClientThatDisconnectsWhileUploadingSendsNothingUpstreamAndLeavesNoTempFile() throws Exception {
        upstream.on(KEY, FakeUpstream.ok("{}"));
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEY, spill));

        Socket socket = connect(proxy);
        send(socket, "POST /app/openai/v1/files HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + 8 * MiB + "\r\n\r\n");
        byte[] part = new byte[64 * 1024];
        for (int i = 0; i < 32; i++) {
            socket.getOutputStream().write(part);
        }
        socket.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(spill)) {
                return files.findAny().isPresent();
            }
        });
        reset(socket);

        Aftermath.assertClean(proxy, spill);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aClientThatLeavesMidStreamAbortsTheUpstreamExchange() throws Exception {
        FakeUpstream.Flood flood = FakeUpstream.flood(1024 * MiB);
        upstream.on(KEY, flood);
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEY, spill));

        Socket socket = connect(proxy);
        send(socket, "GET /app/openai/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(socket.getInputStream().readNBytes(256 * 1024)).hasSize(256 * 1024);
        reset(socket);

        await().atMost(Duration.ofSeconds(10)).until(flood::finished);
        assertThat(flood.failed()).as("upstream saw its reader go away").isTrue();
        assertThat(flood.written()).isLessThan(64 * MiB);
        Aftermath.assertClean(proxy, spill);
    }

    @Test
    void aStreamItsClientLeftIsNotPooledHalfReadAndTheNextRequestGetsAWholeAnswer() throws Exception {
        String event = "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n";
        upstream.on(KEY, FakeUpstream.paced(Duration.ofMillis(100), java.util.Collections.nCopies(50, event)
                .toArray(String[]::new)));
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEY, spill));

        Socket socket = connect(proxy);
        send(socket, "GET /app/openai/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n");
        String head = new String(socket.getInputStream().readNBytes(200), StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("HTTP/1.1 200");
        reset(socket);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> proxy.route().client().connectionStats().getLeased() == 0);
        assertThat(proxy.route().client().connectionStats().getAvailable()).as("half-read connections pooled").isZero();
        upstream.on(KEY, FakeUpstream.ok("{\"id\":\"whole\"}"));
        try (Socket next = connect(proxy)) {
            send(next, "GET /app/openai/v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(new String(next.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 200").endsWith("{\"id\":\"whole\"}");
        }
        Aftermath.assertClean(proxy, spill);
    }

    @Test
    void aSlowReaderHoldsUpstreamBackAndTheProxyBuffersNothingMore() throws Exception {
        FakeUpstream.Flood flood = FakeUpstream.flood(1024 * MiB);
        upstream.on(KEY, flood);
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEY, spill));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();

        Socket socket = connect(proxy);
        send(socket, "GET /app/openai/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n");
        InputStream in = socket.getInputStream();
        long read = 0;
        for (int round = 0; round < 4; round++) {
            // Read nothing until upstream is stuck: back-pressure has reached it.
            awaitStuck(flood);
            assertThat(flood.written() - read).as("bytes between upstream and a reader that stopped")
                    .isLessThan(48 * MiB);
            read += in.readNBytes((int) (32 * MiB)).length;
        }
        System.gc();
        long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;

        assertThat(read).isEqualTo(128 * MiB);
        assertThat(heapGrowth).as("heap growth after passing 128 MiB").isLessThan(48 * MiB);
        reset(socket);
        await().atMost(Duration.ofSeconds(10)).until(flood::finished);
        assertThat(flood.written()).isLessThan(1024 * MiB);
        Aftermath.assertClean(proxy, spill);
    }

    private static void awaitStuck(FakeUpstream.Flood flood) {
        AtomicLong last = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> last.getAndSet(flood.written()) == flood.written());
    }

    @Test
    void aDeclaredBodyAboveMaxBodyBytesIsRefusedWith413BeforeItIsSent() throws Exception {
        upstream.on(KEY, FakeUpstream.ok("{}"));
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEY, spill, "maxBodyBytes", "1MiB"));

        try (Socket socket = connect(proxy)) {
            send(socket, "POST /app/openai/v1/files HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + 512 * MiB + "\r\n\r\n");
            socket.getOutputStream().write(new byte[64 * 1024]);
            String answer = new String(RawHttp.readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 413").contains("request_too_large");
        }
        assertThat(upstream.requests()).isEmpty();
        Aftermath.assertClean(proxy, spill);
    }

    @Test
    void aChunkedBodyAboveMaxBodyBytesIsCutOffWith413AndNoTempFileRemains() throws Exception {
        upstream.on(KEY, FakeUpstream.ok("{}"));
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEY, spill, "maxBodyBytes", "1MiB"));

        AtomicLong sent = new AtomicLong();
        try (Socket socket = connect(proxy)) {
            send(socket, "POST /app/openai/v1/files HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            Thread writer = new Thread(() -> writeChunksUntilRefused(socket, sent), "chunked-writer");
            writer.setDaemon(true);
            writer.start();
            String answer = new String(RawHttp.readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 413").contains("request_too_large");
        }
        assertThat(sent.get()).as("bytes the client managed to send").isLessThan(256 * MiB);
        assertThat(upstream.requests()).isEmpty();
        Aftermath.assertClean(proxy, spill);
    }

    private static void writeChunksUntilRefused(Socket socket, AtomicLong sent) {
        byte[] chunk = ("10000\r\n" + "z".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            OutputStream out = socket.getOutputStream();
            while (sent.get() < 256 * MiB) {
                out.write(chunk);
                sent.addAndGet(0x10000);
            }
        } catch (Exception e) {
            // refused: the proxy closed the connection
        }
    }
}
