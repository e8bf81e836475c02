package dev.keyfailover.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;

/**
 * Embedded Tomcat on 127.0.0.1 and a free port, with the WAR file as the root context (as if
 * dropped in {@code webapps/ROOT.war}), and {@code failCtxIfServletStartFails} set as docs/deploying.md
 * advises. Compiled against Tomcat 10.1; the Tomcat 11 run swaps the jar on the classpath.
 */
final class TomcatDeployment {

    private TomcatDeployment() {
    }

    /** @param expectedVersion the start of the version the classpath must hold, e.g. {@code 10.1.} */
    static Deployment start(String expectedVersion) throws Exception {
        return start(expectedVersion, connector -> { });
    }

    /**
     * On the connector's virtual threads: {@code useVirtualThreads="true"}, as in {@code server.xml}
     * (Tomcat 10.1 and 11 on Java 21 or later). Each request then runs on a virtual thread of its own
     * and the connector's {@code maxThreads} no longer applies. Its {@code acceptCount} (the listening
     * socket's backlog, default 100) is raised too, for clients that connect all at once.
     */
    static Deployment startOnVirtualThreads(String expectedVersion, int acceptCount) throws Exception {
        return start(expectedVersion, connector -> {
            assertThat(connector.setProperty("useVirtualThreads", "true")).as("the connector knows useVirtualThreads")
                    .isTrue();
            assertThat(connector.setProperty("acceptCount", Integer.toString(acceptCount)))
                    .as("the connector knows acceptCount").isTrue();
        });
    }

    private static Deployment start(String expectedVersion, Consumer<Connector> settings) throws Exception {
        assertThat(ServerInfo.getServerNumber()).as("Tomcat on the classpath").startsWith(expectedVersion);
        Path base = Files.createTempDirectory("tomcat-base");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setProperty("address", "127.0.0.1");
        connector.setPort(0);
        settings.accept(connector);
        tomcat.getService().addConnector(connector);
        StandardHost host = (StandardHost) tomcat.getHost();
        host.setAppBase(Files.createDirectories(base.resolve("webapps")).toString());
        host.setFailCtxIfServletStartFails(true);
        // The embedded defaults would add Tomcat's JSP servlet, whose Jasper jar is not here (the WAR has no JSP).
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", Env.war().toAbsolutePath().toString());
        tomcat.start();
        assertThat(context.getState()).as("the WAR's context started").isEqualTo(LifecycleState.STARTED);
        return Deployment.embedded(connector.getLocalPort(), () -> {
            tomcat.stop();
            tomcat.destroy();
        });
    }
}
