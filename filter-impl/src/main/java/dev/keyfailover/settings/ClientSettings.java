package dev.keyfailover.settings;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Connection settings of a provider's HTTP client, with its three timeouts of an answer
 * (behaviour.md §18, Timeouts).
 *
 * @param connectTimeout how long to wait for a TCP/TLS connection to upstream
 * @param responseTimeout how long to wait for the answer's head once the request is sent (a long
 *     answer that is not streamed sends its head last)
 * @param streamIdleTimeout the longest silence inside an answer's body; an inactivity timeout, so a
 *     long stream is never cut while data flows
 * @param firstByteTimeout how long to wait for the first byte of a streamed answer's body (unknown
 *     length or {@code text/event-stream}), the head held back meanwhile; empty for off
 * @param connectionRequestTimeout how long a request waits for a free pooled connection
 * @param maxConnections pooled connections to upstream (total and per route); every open stream holds one
 * @param bufferSize bytes of each of an upstream connection's three buffers (input, header line, output), held
 *     for as long as the connection is pooled: with thousands of open streams they are most of the heap
 */
public record ClientSettings(Duration connectTimeout, Duration responseTimeout, Duration streamIdleTimeout,
                             Optional<Duration> firstByteTimeout, Duration connectionRequestTimeout,
                             int maxConnections, int bufferSize) {

    /** HttpCore's own default since 5.4 is 32 KiB per buffer, 96 KiB per connection: too much for 10,000 streams. */
    public static final int DEFAULT_BUFFER_SIZE = 8 * 1024;
    public static final int MIN_BUFFER_SIZE = 1024;
    public static final int MAX_BUFFER_SIZE = 1024 * 1024;
    /** 10 minutes: long answers that are not streamed send their head last. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(10);
    /** 10 minutes. */
    public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofMinutes(10);

    public ClientSettings {
        Require.positive(connectTimeout, "connectTimeout");
        Require.positive(responseTimeout, "responseTimeout");
        Require.positive(streamIdleTimeout, "streamIdleTimeout");
        Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
        firstByteTimeout.ifPresent(d -> Require.positive(d, "firstByteTimeout"));
        Require.positive(connectionRequestTimeout, "connectionRequestTimeout");
        Require.atLeastOne(maxConnections, "maxConnections", "connection");
        Require.between(bufferSize, MIN_BUFFER_SIZE, MAX_BUFFER_SIZE, "upstreamBufferSize", "bytes");
    }

    /**
     * As the canonical constructor, with the default stream idle timeout, no first-byte timeout and
     * the default buffer size.
     */
    public ClientSettings(Duration connectTimeout, Duration responseTimeout, Duration connectionRequestTimeout,
                          int maxConnections) {
        this(connectTimeout, responseTimeout, DEFAULT_STREAM_IDLE_TIMEOUT, Optional.empty(), connectionRequestTimeout,
                maxConnections, DEFAULT_BUFFER_SIZE);
    }

    /** 10 s connect, 10 min head, 10 min stream idle, no first-byte timeout, 10 s pool wait, 200 connections, 8 KiB buffers. */
    public static ClientSettings defaults() {
        return new ClientSettings(Duration.ofSeconds(10), DEFAULT_RESPONSE_TIMEOUT, Duration.ofSeconds(10), 200);
    }

    public ClientSettings withResponseTimeout(Duration value) {
        return new ClientSettings(connectTimeout, value, streamIdleTimeout, firstByteTimeout, connectionRequestTimeout,
                maxConnections, bufferSize);
    }

    public ClientSettings withStreamIdleTimeout(Duration value) {
        return new ClientSettings(connectTimeout, responseTimeout, value, firstByteTimeout, connectionRequestTimeout,
                maxConnections, bufferSize);
    }

    /** @param value the first-byte timeout, {@code null} for off */
    public ClientSettings withFirstByteTimeout(Duration value) {
        return new ClientSettings(connectTimeout, responseTimeout, streamIdleTimeout, Optional.ofNullable(value),
                connectionRequestTimeout, maxConnections, bufferSize);
    }

    public ClientSettings withConnectTimeout(Duration value) {
        return new ClientSettings(value, responseTimeout, streamIdleTimeout, firstByteTimeout, connectionRequestTimeout,
                maxConnections, bufferSize);
    }

}
