package dev.keyfailover.servlet;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.keyfailover.chain.ClientAccess;
import dev.keyfailover.config.ClientTokensFile;
import dev.keyfailover.config.ConfigException;
import dev.keyfailover.metrics.RouteMeters;
import dev.keyfailover.settings.ClientToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a route's {@code clientTokensFile} (behaviour.md §13) as a keys file is watched (§14): a
 * change in place, by atomic rename or by a Secret volume's symlink swap is applied within 2 s; a
 * file that does not parse, or holds no token, keeps the tokens as they were and the log names the
 * line, never a token.
 */
final class RouteTokens implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteTokens.class);

    private final String where;
    private final ClientAccess access;
    private final RouteMeters meters;
    private final KeysFileWatcher watcher;

    private RouteTokens(String where, Path file, ClientAccess access, RouteMeters meters, Duration interval)
            throws IOException {
        this.where = where;
        this.access = access;
        this.meters = meters;
        this.watcher = KeysFileWatcher.start(where + "-client-tokens", file, "", interval, this::changed,
                () -> "the " + access.clientNames().size() + " client tokens it listed");
    }

    /** Starts watching the file. */
    static RouteTokens watch(String where, Path file, ClientAccess access, RouteMeters meters, Duration interval)
            throws IOException {
        return new RouteTokens(where, file, access, meters, interval);
    }

    private void changed(String text) {
        List<ClientToken> tokens;
        try {
            tokens = ClientTokensFile.parse(where, text);
        } catch (ConfigException e) {
            LOG.error("{}; the client tokens stay as they were", e.getMessage());
            return;
        }
        List<String> names = tokens.stream().map(ClientToken::name).toList();
        meters.clientsAdded(names);
        access.replace(tokens);
        LOG.info("{}: client tokens file applied: {} token(s) ({})", where, tokens.size(), String.join(", ", names));
    }

    @Override
    public void close() throws IOException {
        watcher.close();
    }
}
