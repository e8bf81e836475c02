package dev.keyfailover.testing;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Stops a test's Jetty server without ever hanging the build. Jetty 12.1.14 can deadlock stopping a
 * connector while one of its connections has a write in flight: the selector, closing the
 * connection, waits for the write, whose failure only the selector can deliver (seen with a
 * {@link FakeUpstream#flood} whose reader went away, and with a stall let go just before the stop).
 * Its connections are closed first, which fails such writes in most cases; if the stop still has
 * not ended after {@link #WAIT}, the test's assertions are long done, so it is left to its
 * (daemon) thread and the next test goes on.
 */
final class JettyStop {

    static final Duration WAIT = Duration.ofSeconds(10);

    private JettyStop() {
    }

    /** Closes {@code connector}'s connections from this thread, then stops {@code server}, waiting at most {@link #WAIT}. */
    static void stop(Server server, ServerConnector connector) throws Exception {
        closeConnections(connector);
        stopWithin(server, connector);
    }

    /** Stops {@code server} (its connections closed already), waiting at most {@link #WAIT}. */
    static void stopWithin(Server server, ServerConnector connector) throws Exception {
        FutureTask<Void> stop = new FutureTask<>(() -> {
            server.stop();
            return null;
        });
        Thread stopper = new Thread(stop, "jetty-stop-" + connector.getLocalPort());
        stopper.setDaemon(true);
        stopper.start();
        try {
            stop.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            System.err.println("[test] Jetty on port " + connector.getLocalPort() + " did not stop within " + WAIT
                    + " (a write in flight at the stop, Jetty 12.1.14); left to its thread");
        }
    }

    /** Closes every connection of {@code connector} from this thread, failing the writes in flight. */
    static void closeConnections(ServerConnector connector) {
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            endPoint.close();
        }
    }
}
