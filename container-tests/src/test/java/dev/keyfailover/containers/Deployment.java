package dev.keyfailover.containers;

import java.net.URI;
import java.nio.file.Path;

/** The example WAR, deployed unchanged at the root context of one running container. */
interface Deployment {

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    URI baseUri();

    /** The API dump directory the deployment was given through {@code KEYFAILOVER_DUMP_DIR}. */
    Path dumpDir();

    /** Stops the container. */
    void close() throws Exception;

    /** A container embedded in this JVM, listening on 127.0.0.1:{@code port}, given the dump directory of the run. */
    static Deployment embedded(int port, AutoCloseable stop) {
        return new Deployment() {
            @Override
            public URI baseUri() {
                return URI.create("http://127.0.0.1:" + port);
            }

            @Override
            public Path dumpDir() {
                return Path.of(Env.variable("KEYFAILOVER_DUMP_DIR"));
            }

            @Override
            public void close() throws Exception {
                stop.close();
            }
        };
    }
}
