package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.ProxyServer;
import dev.keyfailover.testing.RawHttp;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * clientIdleTimeout: a client that uploads a byte at a time, stops uploading, or never reads the
 * answer holds neither a request thread nor an upstream connection for longer. The container's
 * own idle timeout is Jetty's default of 30 s, far above the route's 1 s, so what ends these
 * clients within the tests' bounds is the route, not the container.
 */
class SlowClientsTest {

    static final String KEY = "sk-good-0000000000001";
    static final long MiB = 1L << 20;
    /** How long a test waits for what should happen about 1 s in; generous for a loaded machine. */
    static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path spill;
    private final FakeUpstream upstream = FakeUpstream.start();
    private final ScheduledExecutorService slowClient = Executors.newSingleThreadScheduledExecutor();
    /** Writes that ignore interrupts, for the one test that needs them; released after each test. */
    private final WritesIgnoringInterrupts tomcatLike = new WritesIgnoringInterrupts(MiB);
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        // A write left blocked would stay inside the proxy and fail the thread checks of later tests.
        tomcatLike.released.countDown();
        slowClient.shutdownNow();
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket("127.0.0.1", proxy.port());
        socket.setSoTimeout((int) BOUND.toMillis());
        return socket;
    }

    private static void send(Socket socket, String text) throws Exception {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static String postHead(int contentLength) {
        return "POST /app/openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void aSlowlorisUploadIsCutAtClientIdleTimeoutWithA408AndNothingReachesUpstream() throws Exception {
        upstream.on(KEY, FakeUpstream.ok("{}"));
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEY, spill, "clientIdleTimeout", "1s"));
        int declared = 1000; // 100 s at one byte per 100 ms

        AtomicInteger sent = new AtomicInteger();
        String answer;
        try (Socket socket = connect()) {
            send(socket, postHead(declared));
            slowClient.scheduleAtFixedRate(() -> {
                try {
                    socket.getOutputStream().write('x');
                    sent.incrementAndGet();
                } catch (Exception refused) {
                    // The proxy closed the connection: throwing ends this client's schedule.
                    throw new IllegalStateException(refused);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            answer = new String(RawHttp.readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        }

        assertThat(sent.get()).as("bytes sent before the answer").isLessThan(declared);
        assertThat(answer).startsWith("HTTP/1.1 408");
        assertThat(RawHttp.head(answer)).containsIgnoringCase("Connection: close");
        assertThat(RawHttp.body(answer)).contains("\"type\":\"invalid_request_error\"")
                .contains("\"code\":\"request_timeout\"").contains("clientIdleTimeout");
        assertThat(upstream.requests()).isEmpty();
        Aftermath.assertClean(proxy, spill);
        assertThat(proxy.route().inFlight()).isZero();
    }

    @Test
    void anUploadThatFallsSilentIsCutAtClientIdleTimeoutNotAtTheContainersIdleTimeout() throws Exception {
        upstream.on(KEY, FakeUpstream.ok("{}"));
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEY, spill, "clientIdleTimeout", "1s"));

        String answer;
        try (Socket socket = connect()) {
            // Beyond the memory threshold, so that the silence falls while the body spills to disk.
            send(socket, postHead(4096) + "x".repeat(2048));
            // Read with a 10 s socket timeout: Jetty's own idle timeout (30 s) would come too late.
            answer = new String(RawHttp.readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        }

        assertThat(answer).startsWith("HTTP/1.1 408").contains("request_timeout");
        assertThat(upstream.requests()).isEmpty();
        Aftermath.assertClean(proxy, spill);
        assertThat(proxy.route().inFlight()).isZero();
    }

    @Test
    void aClientThatNeverReadsALargeStreamLetsGoOfUpstreamAndOfItsThreadAfterClientIdleTimeout() throws Exception {
        FakeUpstream.Flood flood = FakeUpstream.flood(1024 * MiB);
        upstream.on(KEY, flood);
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEY, spill, "clientIdleTimeout", "1s"));

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024); // before connecting, so the window stays small
            socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()));
            socket.setSoTimeout((int) BOUND.toMillis());
            send(socket, "GET /app/openai/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n");

            await().atMost(BOUND).until(flood::finished);
            assertThat(flood.failed()).as("upstream saw its request aborted").isTrue();
            Aftermath.assertClean(proxy, spill);
            assertThat(proxy.route().inFlight()).isZero();

            // What reached the client stops short of the final chunk: the cut answer does not look complete.
            String received = new String(RawHttp.readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            assertThat(received).startsWith("HTTP/1.1 200").doesNotEndWith("0\r\n\r\n");
        }
        assertThat(flood.written()).isLessThan(1024 * MiB);
    }

    @Test
    void anUpstreamThatPausesLongerThanClientIdleTimeoutBetweenEventsIsNotCut() throws Exception {
        upstream.on(KEY, FakeUpstream.paced(Duration.ofMillis(700), "data: one\n\n", "data: two\n\n",
                "data: [DONE]\n\n"));
        proxy = ProxyServer.servlet(Routes.openai(upstream.baseUri(), KEY, spill, "clientIdleTimeout", "300ms"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(proxy.uri("/app/openai/v1/stream"))
                .timeout(BOUND).build(), HttpResponse.BodyHandlers.ofInputStream());

        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(events.lines()).containsExactly("data: one", "", "data: two", "", "data: [DONE]", "");
        }
        Aftermath.assertClean(proxy, spill);
    }

    @Test
    void onAContainerThatIgnoresInterruptsUpstreamIsStillLetGoAtClientIdleTimeout() throws Exception {
        FakeUpstream.Flood flood = FakeUpstream.flood(1024 * MiB);
        upstream.on(KEY, flood);
        proxy = ProxyServer.servletBehind(tomcatLike, Routes.openai(upstream.baseUri(), KEY, spill,
                "clientIdleTimeout", "1s"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(HttpRequest.newBuilder(
                proxy.uri("/app/openai/v1/stream")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(tomcatLike.blocked.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

        await().atMost(BOUND).until(flood::finished);
        assertThat(flood.failed()).as("upstream saw its request aborted").isTrue();
        await().atMost(BOUND).until(() -> proxy.route().client().connectionStats().getLeased() == 0);
        assertThat(Aftermath.threadsInTheProxy()).as("the thread the container alone can free").isNotEmpty();

        tomcatLike.released.countDown(); // as the container's own write timeout would
        assertThat(response).as("the cut answer does not end cleanly").failsWithin(BOUND);
        Aftermath.assertClean(proxy, spill);
        assertThat(proxy.route().inFlight()).isZero();
    }

    /**
     * Stands in for a container that ignores interrupts in a blocked write, as Tomcat does (there
     * only its {@code connectionTimeout} ends one): once {@code passBytes} of the answer went out,
     * every write blocks until {@link #released}, interrupted or not.
     */
    static final class WritesIgnoringInterrupts extends HttpFilter {

        private static final long serialVersionUID = 1L;

        final transient CountDownLatch blocked = new CountDownLatch(1);
        final transient CountDownLatch released = new CountDownLatch(1);
        private final long passBytes;

        WritesIgnoringInterrupts(long passBytes) {
            this.passBytes = passBytes;
        }

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            ServletOutputStream stalling = new Stalling(response.getOutputStream());
            chain.doFilter(request, new HttpServletResponseWrapper(response) {
                @Override
                public ServletOutputStream getOutputStream() {
                    return stalling;
                }
            });
        }

        private final class Stalling extends ServletOutputStream {
            private final ServletOutputStream real;
            private long written;

            Stalling(ServletOutputStream real) {
                this.real = real;
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                if (written >= passBytes) {
                    blocked.countDown();
                    awaitReleaseIgnoringInterrupts();
                }
                real.write(buffer, offset, length);
                written += length;
            }

            @Override
            public void flush() throws IOException {
                real.flush();
            }

            @Override
            public boolean isReady() {
                return real.isReady();
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                real.setWriteListener(listener);
            }
        }

        private void awaitReleaseIgnoringInterrupts() {
            while (true) {
                try {
                    released.await();
                    return;
                } catch (InterruptedException swallowed) {
                    // As Tomcat does: the interrupt is cleared and the write goes on waiting.
                }
            }
        }
    }
}
