package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The fixed hop-by-hop list and the names a Connection header adds (Jetty itself refuses client Upgrade requests, so this list is checked here too). */
class HopByHopTest {

    @Test
    void theFixedListIsAlwaysDropped() {
        assertThat(HopByHop.namesToDrop(Collections.emptyIterator())).contains("connection", "keep-alive",
                "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding",
                "upgrade");
    }

    @Test
    void namesListedInConnectionAreDroppedCaseInsensitively() {
        assertThat(HopByHop.namesToDrop(List.of("close, X-Hop-One", " x-hop-TWO ").iterator())).contains("x-hop-one", "x-hop-two")
                .doesNotContain("close, x-hop-one");
        assertThat(HopByHop.namesToDrop(Collections.enumeration(List.of("X-A,X-B")).asIterator())).contains("x-a", "x-b");
    }

    @Test
    void endToEndHeadersAreKept() {
        assertThat(HopByHop.namesToDrop(List.of("keep-alive").iterator())).doesNotContain("content-type", "authorization",
                "anthropic-version", "content-encoding");
    }

    @Test
    void withoutConnectionHeadersTheFixedListItselfIsUsedWithoutACopy() {
        // The per-request path: no Connection header, no set built.
        assertThat(HopByHop.namesToDrop(Collections.emptyIterator()))
                .isSameAs(HopByHop.namesToDrop(Collections.emptyIterator()));
        assertThat(HopByHop.namesToDrop(List.of("keep-alive, Upgrade").iterator()))
                .isSameAs(HopByHop.namesToDrop(Collections.emptyIterator()));
        assertThat(HopByHop.namesToDrop(List.of("x-extra").iterator()))
                .isNotSameAs(HopByHop.namesToDrop(Collections.emptyIterator()));
    }
}
