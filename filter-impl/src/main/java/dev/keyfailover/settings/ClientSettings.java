package dev.keyfailover.settings;

import java.time.Duration;

/**
 * Connection settings of a provider's HTTP client.
 *
 * @param connectTimeout how long to wait for a TCP/TLS connection to upstream
 * @param responseTimeout the longest silence while waiting for or reading the answer; an
 *     inactivity timeout, so a long stream is never cut while data flows
 * @param connectionRequestTimeout how long a request waits for a free pooled connection
 * @param maxConnections pooled connections to upstream (total and per route); every open stream holds one
 * @param bufferSize bytes of each of an upstream connection's three buffers (input, header line, output), held
 *     for as long as the connection is pooled: with thousands of open streams they are most of the heap
 */
public record ClientSettings(Duration connectTimeout, Duration responseTimeout, Duration connectionRequestTimeout,
                             int maxConnections, int bufferSize) {

    /** HttpCore's own default since 5.4 is 32 KiB per buffer, 96 KiB per connection: too much for 10,000 streams. */
    public static final int DEFAULT_BUFFER_SIZE = 8 * 1024;
    public static final int MIN_BUFFER_SIZE = 1024;
    public static final int MAX_BUFFER_SIZE = 1024 * 1024;

    public ClientSettings {
        Require.positive(connectTimeout, "connectTimeout");
        Require.positive(responseTimeout, "responseTimeout");
        Require.positive(connectionRequestTimeout, "connectionRequestTimeout");
        Require.atLeastOne(maxConnections, "maxConnections", "connection");
        Require.between(bufferSize, MIN_BUFFER_SIZE, MAX_BUFFER_SIZE, "upstreamBufferSize", "bytes");
    }

    /** As the canonical constructor, with the default buffer size. */
    public ClientSettings(Duration connectTimeout, Duration responseTimeout, Duration connectionRequestTimeout,
                          int maxConnections) {
        this(connectTimeout, responseTimeout, connectionRequestTimeout, maxConnections, DEFAULT_BUFFER_SIZE);
    }

    /** 10 s connect, 10 min response, 10 s pool wait, 200 connections, 8 KiB buffers. */
    public static ClientSettings defaults() {
        return new ClientSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofSeconds(10), 200);
    }

    public ClientSettings withResponseTimeout(Duration value) {
        return new ClientSettings(connectTimeout, value, connectionRequestTimeout, maxConnections, bufferSize);
    }

    public ClientSettings withConnectTimeout(Duration value) {
        return new ClientSettings(value, responseTimeout, connectionRequestTimeout, maxConnections, bufferSize);
    }

}
