package dev.keyfailover.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two thousand streams through the example WAR at once, on one container configured to hold them
 * (virtual threads where the container has them), on Java 25. These runs give the proxy more
 * upstream connections through the example's {@code KEYFAILOVER_MAX_CONNECTIONS} (see the pom).
 *
 * <p>Each of {@value #STREAMS} clients opens a streamed chat completion at once. Upstream answers
 * each with its first chunk at once and holds the rest until every stream is open end to end (each
 * client has its first chunk), so the streams are open together however long opening them takes;
 * it then sends {@value #EVENTS} chunks in all, 100 ms apart, and {@code [DONE]}. The clients are
 * one {@link HttpClient} reading every stream as it arrives, on four threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ManyStreamsScenario {

    static final int STREAMS = 2_000;
    /** What these runs raise each limit on open streams to: the streams, and room for a few more requests. */
    static final int CAPACITY = 2_100;
    private static final int EVENTS = 20;
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern OPENAI_LEASED = Pattern.compile(
            "\"name\":\"openai\".*?\"leasedConnections\":(\\d+)", Pattern.DOTALL);

    private final ExecutorService clientThreads = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "stream-client");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(OPEN_TIMEOUT).executor(clientThreads).build();
    private ScriptedUpstream upstream;
    private Deployment deployment;

    /** Starts the container, set up to hold {@value #STREAMS} streams, with the example WAR at its root context. */
    protected abstract Deployment deploy() throws Exception;

    /**
     * Called while every stream is open: checks what holds them in the container.
     *
     * @return what it saw, for the test's log
     */
    protected abstract String checkWhatHoldsTheStreams() throws Exception;

    @BeforeAll
    void startUpstreamAndDeploy() throws Exception {
        assertThat(Runtime.version().feature()).as("Java running this test (failsafe <jvm>, property java25.home)")
                .isGreaterThanOrEqualTo(25);
        assertThat(Integer.parseInt(Env.variable("KEYFAILOVER_MAX_CONNECTIONS")))
                .as("the proxy's upstream connections (KEYFAILOVER_MAX_CONNECTIONS)").isGreaterThanOrEqualTo(STREAMS);
        upstream = ScriptedUpstream.start(Env.upstreamPort());
        deployment = deploy();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            // First, so that streams still open (a failed test) end and the container stops at once.
            if (upstream != null) {
                upstream.close();
            }
        } finally {
            try {
                if (deployment != null) {
                    deployment.close();
                }
            } finally {
                clientThreads.shutdownNow();
            }
        }
    }

    @Test
    void twoThousandConcurrentStreamsAllArriveWhole() throws Exception {
        // A proxy that has been up a while: the pool already knows its rate-limited and revoked keys.
        HttpResponse<String> warmUp = client.send(chatCompletion(newTestId(), false, "warm-up"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(warmUp.statusCode()).as("a first chat completion").isEqualTo(200);

        String testId = newTestId();
        upstream.holdChatStreams(EVENTS, INTERVAL);
        CountDownLatch firstEvents = new CountDownLatch(STREAMS);
        long start = System.nanoTime();
        List<CompletableFuture<String>> problems = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            ClientStream stream = new ClientStream("stream-" + i, firstEvents);
            problems.add(client.sendAsync(chatCompletion(testId, true, stream.name),
                    HttpResponse.BodyHandlers.fromLineSubscriber(stream)).handle(stream::problem));
        }

        boolean allOpen = firstEvents.await(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(allOpen).as("%d of %d clients had their first event within %s; upstream has %d streams open",
                STREAMS - firstEvents.getCount(), STREAMS, OPEN_TIMEOUT, upstream.openChatStreams()).isTrue();
        long opened = System.nanoTime();
        assertThat(upstream.awaitOpenChatStreams(STREAMS, Duration.ofSeconds(10)))
                .as("upstream has every stream open (%d)", upstream.openChatStreams()).isTrue();
        String holders = checkWhatHoldsTheStreams();
        assertThat(leasedOpenAiConnections()).as("upstream connections the proxy holds (/status.json)")
                .isEqualTo(STREAMS);

        upstream.releaseChatStreams();
        try {
            CompletableFuture.allOf(problems.toArray(new CompletableFuture<?>[0]))
                    .get(FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(problems.stream().filter(problem -> !problem.isDone()).count() + " of " + STREAMS
                    + " streams had not ended " + FINISH_TIMEOUT + " after upstream let them go; upstream has "
                    + upstream.openChatStreams() + " open", e);
        }
        long finished = System.nanoTime();

        assertThat(problems.stream().map(CompletableFuture::join).filter(Objects::nonNull).limit(20))
                .as("streams that did not arrive whole (first 20)").isEmpty();
        assertThat(upstream.peakChatStreams()).as("streams open at once, upstream").isGreaterThanOrEqualTo(STREAMS);
        assertThat(upstream.brokenChatStreams()).as("streams upstream could not write to the end").isZero();
        String goodKey = Env.openAiKeys().get(2);
        assertThat(upstream.requestsOf(testId)).filteredOn(request -> goodKey.equals(request.key()))
                .as("upstream requests with the good key: one per stream").hasSize(STREAMS);
        System.out.printf("%s: %d streams of %d events open end to end in %d ms, all whole %d ms after; %s%n",
                getClass().getSimpleName(), STREAMS, EVENTS, TimeUnit.NANOSECONDS.toMillis(opened - start),
                TimeUnit.NANOSECONDS.toMillis(finished - opened), holders);
    }

    /**
     * For a container in this JVM: asserts that no platform thread is inside the proxy, so that
     * every open stream waits on a virtual thread (which {@link Thread#getAllStackTraces()} leaves out).
     */
    protected static String assertNoPlatformThreadInTheProxy() {
        Map<Thread, StackTraceElement[]> platformThreads = Thread.getAllStackTraces();
        List<String> inTheProxy = new ArrayList<>();
        platformThreads.forEach((thread, stack) -> {
            if (Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith("dev.keyfailover.")
                    && !frame.getClassName().startsWith("dev.keyfailover.containers."))) {
                inTheProxy.add(thread.getName());
            }
        });
        assertThat(inTheProxy).as("platform threads inside the proxy while %d streams are open", STREAMS).isEmpty();
        return platformThreads.size() + " platform threads in the JVM, none of them inside the proxy";
    }

    private int leasedOpenAiConnections() throws Exception {
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(uri("/status.json"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher leased = OPENAI_LEASED.matcher(status.body());
        assertThat(leased.find()).as("the openai pool's leasedConnections in %s", status.body()).isTrue();
        return Integer.parseInt(leased.group(1));
    }

    private HttpRequest chatCompletion(String testId, boolean stream, String user) {
        return HttpRequest.newBuilder(uri("/openai/v1/chat/completions")).header("Content-Type", "application/json")
                .header(ScriptedUpstream.TEST_ID_HEADER, testId).timeout(OPEN_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":" + stream
                        + ",\"user\":\"" + user + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
    }

    private URI uri(String path) {
        return URI.create(deployment.baseUri() + path);
    }

    private static String newTestId() {
        return UUID.randomUUID().toString();
    }

    /** One client's stream, read line by line as it arrives, on the client's threads (none of its own). */
    private static final class ClientStream implements Flow.Subscriber<String> {
        private final String name;
        private final CountDownLatch firstEvents;
        private final List<String> events = Collections.synchronizedList(new ArrayList<>());

        ClientStream(String name, CountDownLatch firstEvents) {
            this.name = name;
            this.firstEvents = firstEvents;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("data: ")) {
                events.add(line.substring("data: ".length()));
                if (events.size() == 1) {
                    firstEvents.countDown();
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            // The response's future fails with it.
        }

        @Override
        public void onComplete() {
        }

        /** What is wrong with this stream, or {@code null} when it arrived whole. */
        String problem(HttpResponse<Void> response, Throwable failure) {
            if (failure != null) {
                return name + ": " + failure;
            }
            if (response.statusCode() != 200) {
                return name + ": status " + response.statusCode();
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                expected.add("{\"id\":\"chatcmpl-" + name + "\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                        + "\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + i
                        + "\"},\"finish_reason\":" + (i == EVENTS - 1 ? "\"stop\"" : "null") + "}]}");
            }
            expected.add("[DONE]");
            return events.equals(expected) ? null : name + ": " + events.size() + " events, the last "
                    + (events.isEmpty() ? "none" : events.get(events.size() - 1));
        }
    }
}
