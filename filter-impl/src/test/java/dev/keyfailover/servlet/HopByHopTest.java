package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The fixed hop-by-hop list and the names a Connection header adds (Jetty itself refuses client Upgrade requests, so this list is checked here too). */
class HopByHopTest {

    @Test
    void theFixedListIsAlwaysDropped() {
        assertThat(HopByHop.namesToDrop(Collections.emptyEnumeration())).contains("connection", "keep-alive",
                "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding",
                "upgrade");
    }

    @Test
    void namesListedInConnectionAreDroppedCaseInsensitively() {
        assertThat(HopByHop.namesToDrop(List.of("close, X-Hop-One", " x-hop-TWO "))).contains("x-hop-one", "x-hop-two")
                .doesNotContain("close, x-hop-one");
        assertThat(HopByHop.namesToDrop(Collections.enumeration(List.of("X-A,X-B")))).contains("x-a", "x-b");
    }

    @Test
    void endToEndHeadersAreKept() {
        assertThat(HopByHop.namesToDrop(List.of("keep-alive"))).doesNotContain("content-type", "authorization",
                "anthropic-version", "content-encoding");
    }
}
