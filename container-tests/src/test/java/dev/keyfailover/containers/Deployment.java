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
}
