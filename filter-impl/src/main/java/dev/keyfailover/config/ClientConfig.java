package dev.keyfailover.config;

import java.time.Duration;
import java.util.Optional;

import dev.keyfailover.settings.ClientSettings;
import dev.keyfailover.settings.Require;

/**
 * The init-params of a route's upstream client: connections, buffers and the three timeouts of an
 * answer (behaviour.md §18, Timeouts). Errors name the parameter.
 */
final class ClientConfig {

    private ClientConfig() {
    }

    static ClientSettings read(ParameterReader reader) throws ConfigException {
        ClientSettings defaults = ClientSettings.defaults();
        Duration connect = reader.parse("connectTimeout", value -> positive(value, "connectTimeout"))
                .orElse(defaults.connectTimeout());
        Duration head = reader.parse("responseTimeout", value -> positive(value, "responseTimeout"))
                .orElse(defaults.responseTimeout());
        Duration idle = reader.parse("streamIdleTimeout", value -> positive(value, "streamIdleTimeout"))
                .orElse(defaults.streamIdleTimeout());
        Optional<Duration> firstByte = reader.parse("firstByteTimeout", ClientConfig::firstByte)
                .orElse(defaults.firstByteTimeout());
        Duration leaseWait = reader.parse("connectionRequestTimeout",
                value -> positive(value, "connectionRequestTimeout")).orElse(defaults.connectionRequestTimeout());
        int connections = reader.parse("maxConnections", Values::positiveInt).orElse(defaults.maxConnections());
        int bufferSize = reader.parse("upstreamBufferSize", value -> (int) Require.between(Values.bytes(value),
                        ClientSettings.MIN_BUFFER_SIZE, ClientSettings.MAX_BUFFER_SIZE, "upstreamBufferSize", "bytes"))
                .orElse(defaults.bufferSize());
        return new ClientSettings(connect, head, idle, firstByte, leaseWait, connections, bufferSize);
    }

    private static Duration positive(String value, String name) {
        return Require.positive(Values.duration(value), name);
    }

    /** {@code off}, or a positive duration. */
    private static Optional<Duration> firstByte(String value) {
        if (value.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        try {
            return Optional.of(positive(value, "firstByteTimeout"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ", or 'off'");
        }
    }
}
