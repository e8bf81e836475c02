package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/**
 * behaviour.md §12: a node's view of a shared key takes the cluster's states in whatever order
 * they arrive (events, its own writes' results) and keeps the newest.
 */
class SharedViewTest {

    private static final Instant EARLY = Instant.parse("2026-01-01T10:00:30Z");
    private static final Instant LATE = Instant.parse("2026-01-01T10:01:00Z");

    private final SharedView view = new SharedView();

    @Test
    void aStateArrivingAfterANewerOneIsNotAdopted() {
        view.adopt(Key.ANY_MODEL, new StoredStatus(KeyStatus.cooling(LATE), 3));

        view.adopt(Key.ANY_MODEL, new StoredStatus(KeyStatus.cooling(EARLY), 2));

        assertThat(view.get(Key.ANY_MODEL)).isEqualTo(KeyStatus.cooling(LATE));
    }

    @Test
    void aModelBackToValidKeepsItsVersionSoAnOlderCooldownDoesNotReturn() {
        view.adopt("gpt-test", new StoredStatus(KeyStatus.cooling(LATE), 1));
        view.adopt("gpt-test", new StoredStatus(KeyStatus.VALID, 2));

        view.adopt("gpt-test", new StoredStatus(KeyStatus.cooling(LATE), 1));

        assertThat(view.get("gpt-test")).isEqualTo(KeyStatus.VALID);
        assertThat(view.models()).as("a VALID model takes no room").isEmpty();
    }

    @Test
    void aMarkWhileTheStoreIsDownIsReplacedByTheClustersNextState() {
        view.adopt(Key.ANY_MODEL, new StoredStatus(KeyStatus.cooling(EARLY), 4));
        KeyStates.Transition own = view.markLocally(Key.ANY_MODEL,
                current -> KeyStatus.suspended(KeyState.DISABLED, LATE, null));
        assertThat(own.changed()).isTrue();

        view.adopt(Key.ANY_MODEL, new StoredStatus(KeyStatus.VALID, 5));

        assertThat(view.get(Key.ANY_MODEL)).isEqualTo(KeyStatus.VALID);
    }

    @Test
    void anEntryTheClusterRemovedIsForgotten() {
        view.adopt(Key.ANY_MODEL, new StoredStatus(KeyStatus.cooling(LATE), 9));

        view.forget(Key.ANY_MODEL);
        view.adopt(Key.ANY_MODEL, new StoredStatus(KeyStatus.cooling(EARLY), 1));

        assertThat(view.get(Key.ANY_MODEL)).isEqualTo(KeyStatus.cooling(EARLY));
    }
}
