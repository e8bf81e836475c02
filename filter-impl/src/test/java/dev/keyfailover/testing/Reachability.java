package dev.keyfailover.testing;

import static org.awaitility.Awaitility.await;

import java.lang.ref.Reference;
import java.time.Duration;

/** Leaks seen from outside: an object nothing should hold any more is collected. */
public final class Reachability {

    private Reachability() {
    }

    /** Waits, collecting garbage, until {@code ref}'s object is gone; fails after 10 s. */
    public static void assertCollected(Reference<?> ref, String what) {
        await().alias(what + " is still held").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    System.gc();
                    return ref.get() == null;
                });
    }
}
