package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.provider.OpenAiProviderFactory;
import dev.keyfailover.settings.ClientSettings;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.RawUpstream;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pooled upstream connection tells its socket a timeout only until its first answer's head: from
 * then on the socket reads with none and HttpClient's per-exchange timeout calls (lease, exchange,
 * the pool's activate and passivate) stay with the connection's watch (behaviour.md §18, Timeouts).
 */
class UntimedSocketTest {

    private static final String ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final UpstreamWatchdog watchdog = new UpstreamWatchdog(clock);
    private final CountDownLatch hangUp = new CountDownLatch(1);
    private RawUpstream upstream;
    private CountingSocket socket;
    private ManagedHttpClientConnection connection;

    @AfterEach
    void stop() throws IOException {
        hangUp.countDown();
        if (connection != null) {
            connection.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void afterTheFirstAnswerNoExchangeTouchesTheSocketsTimeoutAndTheHeadDeadlineStillHolds() throws Exception {
        // Upstream answers two requests on the connection (it has read the first head), then stays silent.
        upstream = RawUpstream.start((s, out) -> {
            out.write(ANSWER.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readHead(s.getInputStream());
            out.write(ANSWER.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitHangUp();
        });
        Provider provider = new OpenAiProviderFactory().create(new ProviderSettings("openai", upstream.baseUri(),
                Map.of()));
        socket = new CountingSocket();
        socket.connect(new InetSocketAddress(upstream.baseUri().getHost(), upstream.baseUri().getPort()));
        socket.setSoTimeout(30_000); // as HttpClient's connection operator leaves it after connecting
        connection = new MaskedConnections(CredentialMasker.of(provider),
                ClientSettings.defaults().withResponseTimeout(Duration.ofMillis(300)), watchdog)
                .createConnection(socket);

        assertThat(exchange()).isEqualTo("ok");
        int afterFirst = socket.timeoutCalls.size();
        assertThat(socket.getSoTimeout()).isZero();

        assertThat(exchange()).isEqualTo("ok");
        assertThat(socket.timeoutCalls).hasSize(afterFirst);
        assertThat(socket.getSoTimeout()).isZero();

        // The third head never comes: the deadline HttpClient set is the watch's, the socket still has none.
        startExchange();
        CompletableFuture<ClassicHttpResponse> head = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                head.complete(connection.receiveResponseHeader());
            } catch (Exception e) {
                head.completeExceptionally(e);
            }
        }, "upstream-reader");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> watchdog.armed() == 1);
        assertThat(socket.getSoTimeout()).isZero();
        assertThat(socket.timeoutCalls).hasSize(afterFirst);
        clock.advance(Duration.ofMillis(300));
        watchdog.sweep();
        try {
            head.get(5, TimeUnit.SECONDS);
            throw new AssertionError("the head read ended normally");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(UpstreamTimeoutException.class)
                    .hasMessage("no answer within 300 ms (responseTimeout)");
        }
    }

    /** HttpClient's steps around one exchange: the pool's activate, the timeouts of lease and exchange, passivate. */
    private String exchange() throws Exception {
        startExchange();
        ClassicHttpResponse response = connection.receiveResponseHeader();
        connection.receiveResponseEntity(response);
        String body = new String(response.getEntity().getContent().readAllBytes(), StandardCharsets.US_ASCII);
        connection.passivate();
        return body;
    }

    private void startExchange() throws IOException, org.apache.hc.core5.http.HttpException {
        connection.activate();
        connection.setSocketTimeout(Timeout.ofMilliseconds(300));
        connection.setSocketTimeout(Timeout.ofMilliseconds(300));
        BasicClassicHttpRequest request = new BasicClassicHttpRequest("GET", "/v1/models");
        request.setHeader("Host", "127.0.0.1");
        connection.sendRequestHeader(request);
        connection.flush();
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("request head cut short");
            }
            matched = c == end[matched] ? matched + 1 : c == end[0] ? 1 : 0;
        }
    }

    private void awaitHangUp() {
        try {
            hangUp.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A socket that notes each timeout it is told. */
    private static final class CountingSocket extends Socket {
        final List<Integer> timeoutCalls = new ArrayList<>();

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            timeoutCalls.add(timeout);
            super.setSoTimeout(timeout);
        }
    }
}
