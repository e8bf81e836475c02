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
 */
public record ClientSettings(Duration connectTimeout, Duration responseTimeout, Duration connectionRequestTimeout,
                             int maxConnections) {

    public ClientSettings {
        Require.positive(connectTimeout, "connectTimeout");
        Require.positive(responseTimeout, "responseTimeout");
        Require.positive(connectionRequestTimeout, "connectionRequestTimeout");
        Require.atLeastOne(maxConnections, "maxConnections", "connection");
    }

    /** 10 s connect, 10 min response, 10 s pool wait, 200 connections. */
    public static ClientSettings defaults() {
        return new ClientSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofSeconds(10), 200);
    }

    public ClientSettings withResponseTimeout(Duration value) {
        return new ClientSettings(connectTimeout, value, connectionRequestTimeout, maxConnections);
    }

    public ClientSettings withConnectTimeout(Duration value) {
        return new ClientSettings(value, responseTimeout, connectionRequestTimeout, maxConnections);
    }

}
