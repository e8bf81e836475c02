package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.provider.OpenAiProviderFactory;
import dev.keyfailover.settings.ClientSettings;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.RawUpstream;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A silent upstream is cut at its deadline by the watchdog, the socket reading with no timeout of
 * its own (behaviour.md §18, Timeouts): one connection over a real socket, the watchdog swept on a
 * fake clock. From the first answer's head on, HttpClient's timeout calls of each exchange no
 * longer reach the socket.
 */
class SilentUpstreamDeadlineTest {

    private static final String ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String STREAM_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";

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

    /** Upstream sends {@code sent} after the request head, then stays silent until the test ends. */
    private void connect(String sent, ClientSettings settings) throws Exception {
        open((s, out) -> {
            out.write(sent.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitHangUp();
        }, settings);
        // As HttpClient does before each exchange (InternalExecRuntime.execute).
        connection.setSocketTimeout(Timeout.of(settings.responseTimeout()));
        sendRequest();
    }

    /** One connection over a real socket to an upstream that follows {@code script}. */
    private void open(RawUpstream.Script script, ClientSettings settings) throws Exception {
        upstream = RawUpstream.start(script);
        Provider provider = new OpenAiProviderFactory().create(new ProviderSettings("openai", upstream.baseUri(),
                java.util.Map.of()));
        socket = new CountingSocket();
        socket.connect(new InetSocketAddress(upstream.baseUri().getHost(), upstream.baseUri().getPort()));
        connection = new MaskedConnections(CredentialMasker.of(provider), settings, watchdog).createConnection(socket);
    }

    private void sendRequest() throws Exception {
        BasicClassicHttpRequest request = new BasicClassicHttpRequest("GET", "/v1/models");
        request.setHeader("Host", "127.0.0.1");
        connection.sendRequestHeader(request);
        connection.flush();
    }

    private <T> Future<T> inBackground(java.util.concurrent.Callable<T> read) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                result.complete(read.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }, "upstream-reader");
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    /** Waits until the read is blocked under its deadline, then checks the socket carries none. */
    private void awaitArmedReadWithNoSocketTimeout() throws IOException {
        await().atMost(Duration.ofSeconds(5)).until(() -> watchdog.armed() == 1);
        assertThat(socket.getSoTimeout()).isZero();
    }

    private void sweepAt(Duration elapsed) {
        clock.advance(elapsed);
        watchdog.sweep();
    }

    private static Throwable failureOf(Future<?> read) {
        try {
            read.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the read did not end", e);
        }
        throw new AssertionError("the read ended normally");
    }

    @Test
    void aSilentUpstreamIsCutAtResponseTimeoutWithNoSocketTimeoutOnTheHeadRead() throws Exception {
        connect("", ClientSettings.defaults().withResponseTimeout(Duration.ofMillis(300)));
        Future<ClassicHttpResponse> head = inBackground(connection::receiveResponseHeader);
        awaitArmedReadWithNoSocketTimeout();

        sweepAt(Duration.ofMillis(299));
        assertThat(connection.isOpen()).isTrue();
        sweepAt(Duration.ofMillis(1));

        assertThat(failureOf(head)).isInstanceOf(UpstreamTimeoutException.class)
                .hasMessage("no answer within 300 ms (responseTimeout)")
                .satisfies(e -> assertThat(((UpstreamTimeoutException) e).waitingFor())
                        .isEqualTo(UpstreamTimeoutException.Wait.HEAD));
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aHeadUnderABudgetEndsAtTheBudgetsDeadlineHoweverLongTheWaitsBeforeItTook() throws Exception {
        connect("", ClientSettings.defaults().withResponseTimeout(Duration.ofSeconds(30)));
        AttemptDeadline budget = AttemptDeadline.of(Optional.of(clock.instant().plusMillis(1500)), clock,
                HttpClientContext.create());
        clock.advance(Duration.ofMillis(1200)); // the lease and the connect took most of the budget
        MaskedConnections.underBudget(connection, budget); // as BudgetExchanges does for the exchange
        Future<ClassicHttpResponse> head = inBackground(connection::receiveResponseHeader);
        awaitArmedReadWithNoSocketTimeout();

        sweepAt(Duration.ofMillis(299));
        assertThat(connection.isOpen()).as("300 ms were left, not 1.5 s").isTrue();
        sweepAt(Duration.ofMillis(1));

        Throwable failure = failureOf(head);
        assertThat(failure).isInstanceOf(UpstreamTimeoutException.class);
        assertThat(budget.cut(failure)).as("the budget's timeout, not responseTimeout").isEqualTo(RequestBudget.Cut.PROVIDER);
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aHeadWhoseBudgetRanOutBeforeItStartedIsCutAtTheNextSweep() throws Exception {
        connect("", ClientSettings.defaults().withResponseTimeout(Duration.ofSeconds(30)));
        AttemptDeadline budget = AttemptDeadline.of(Optional.of(clock.instant().plusMillis(100)), clock,
                HttpClientContext.create());
        clock.advance(Duration.ofMillis(250));
        MaskedConnections.underBudget(connection, budget);
        Future<ClassicHttpResponse> head = inBackground(connection::receiveResponseHeader);
        awaitArmedReadWithNoSocketTimeout();

        sweepAt(Duration.ofMillis(1));

        assertThat(budget.cut(failureOf(head))).isEqualTo(RequestBudget.Cut.PROVIDER);
    }

    @Test
    void silenceInsideTheBodyIsCutAtStreamIdleTimeoutWithNoSocketTimeoutOnTheBodyRead() throws Exception {
        connect(STREAM_HEAD + "9\r\ndata: 1\n\n\r\n", ClientSettings.defaults()
                .withResponseTimeout(Duration.ofMillis(100)).withStreamIdleTimeout(Duration.ofMillis(400)));
        ClassicHttpResponse response = connection.receiveResponseHeader();
        connection.receiveResponseEntity(response);
        InputStream body = response.getEntity().getContent();
        assertThat(new String(body.readNBytes(9), StandardCharsets.US_ASCII)).isEqualTo("data: 1\n\n");
        // The head's shorter timeout is over: a body read waits past it.
        sweepAt(Duration.ofSeconds(1));
        Future<Integer> more = inBackground(body::read);
        awaitArmedReadWithNoSocketTimeout();

        sweepAt(Duration.ofMillis(399));
        assertThat(connection.isOpen()).isTrue();
        sweepAt(Duration.ofMillis(1));

        assertThat(failureOf(more)).isInstanceOf(UpstreamTimeoutException.class)
                .hasMessage("silence inside the answer's body within 400 ms (streamIdleTimeout)");
    }

    @Test
    void aStreamWithoutItsFirstByteIsCutAtFirstByteTimeoutBeforeItsHeadIsHandedOn() throws Exception {
        connect(STREAM_HEAD, ClientSettings.defaults().withStreamIdleTimeout(Duration.ofSeconds(10))
                .withFirstByteTimeout(Duration.ofMillis(250)));
        ClassicHttpResponse response = connection.receiveResponseHeader();
        Future<Void> entity = inBackground(() -> {
            connection.receiveResponseEntity(response);
            return null;
        });
        awaitArmedReadWithNoSocketTimeout();

        sweepAt(Duration.ofMillis(250));

        assertThat(failureOf(entity)).isInstanceOf(UpstreamTimeoutException.class)
                .hasMessage("no first byte of the answer's body within 250 ms (firstByteTimeout)");
        assertThatThrownBy(() -> response.getEntity().getContent().read()).isInstanceOf(IOException.class);
    }

    @Test
    void afterTheFirstAnswerNoExchangeTouchesTheSocketsTimeoutAndTheHeadDeadlineStillHolds() throws Exception {
        // Upstream answers two requests on the connection (it has read the first head), then stays silent.
        open((s, out) -> {
            out.write(ANSWER.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readHead(s.getInputStream());
            out.write(ANSWER.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitHangUp();
        }, ClientSettings.defaults().withResponseTimeout(Duration.ofMillis(300)));
        socket.setSoTimeout(30_000); // as HttpClient's connection operator leaves it after connecting

        assertThat(exchange()).isEqualTo("ok");
        int afterFirst = socket.timeoutCalls.size();
        assertThat(socket.getSoTimeout()).isZero();
        assertThat(exchange()).isEqualTo("ok");
        assertThat(socket.timeoutCalls).hasSize(afterFirst);

        // The third head never comes: the deadline HttpClient set is the watch's; the socket is still not told.
        startExchange();
        Future<ClassicHttpResponse> head = inBackground(connection::receiveResponseHeader);
        awaitArmedReadWithNoSocketTimeout();
        sweepAt(Duration.ofMillis(300));

        assertThat(failureOf(head)).isInstanceOf(UpstreamTimeoutException.class)
                .hasMessage("no answer within 300 ms (responseTimeout)");
        assertThat(socket.timeoutCalls).hasSize(afterFirst);
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

    private void startExchange() throws Exception {
        connection.activate();
        connection.setSocketTimeout(Timeout.ofMilliseconds(300));
        connection.setSocketTimeout(Timeout.ofMilliseconds(300));
        sendRequest();
    }

    private static void readHead(InputStream in) throws IOException {
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
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
        final List<Integer> timeoutCalls = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            timeoutCalls.add(timeout);
            super.setSoTimeout(timeout);
        }
    }
}
