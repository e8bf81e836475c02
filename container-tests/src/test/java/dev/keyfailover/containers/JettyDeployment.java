package dev.keyfailover.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/** Embedded Eclipse Jetty 12 (ee10, Servlet 6.0) on 127.0.0.1 and a free port, the WAR file as a {@code WebAppContext} at the root. */
final class JettyDeployment {

    private JettyDeployment() {
    }

    /** On Jetty's default thread pool ({@code QueuedThreadPool}, 200 platform threads at most). */
    static Deployment start() throws Exception {
        return start(new Server(), 0);
    }

    /**
     * On virtual threads only: a {@code VirtualThreadPool} as the server's thread pool (Jetty 12 on
     * Java 21 or later; the standalone server's {@code threadpool-all-virtual} module). It runs at most
     * {@code maxConcurrentTasks} tasks at once (default 200) and counts Jetty's own acceptor and
     * selector among them: every open stream is one task. The connector's accept queue is raised to
     * the same number, for clients that connect all at once.
     */
    static Deployment startOnVirtualThreads(int maxConcurrentTasks) throws Exception {
        VirtualThreadPool threadPool = new VirtualThreadPool();
        threadPool.setMaxConcurrentTasks(maxConcurrentTasks);
        return start(new Server(threadPool), maxConcurrentTasks);
    }

    /** @param acceptQueueSize the listening socket's backlog; 0 for the JDK's default (50) */
    private static Deployment start(Server server, int acceptQueueSize) throws Exception {
        assertThat(Jetty.VERSION).as("Jetty on the classpath").startsWith("12.");
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(acceptQueueSize);
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext(Env.war().toAbsolutePath().toString(), "/");
        webapp.setTempDirectory(Files.createTempDirectory("jetty-war").toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.start();
        assertThat(webapp.isAvailable()).as("the WAR's context started").isTrue();
        return Deployment.embedded(connector.getLocalPort(), server::stop);
    }
}
