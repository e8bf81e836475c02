package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** behaviour.md §12: a shared entry is one line of text with the version of its last write. */
class StoredStatusTest {

    private static final Instant DUE = Instant.parse("2026-01-01T10:15:00Z");

    @Test
    void aLineCarriesTheStateAndItsVersionAndReadsBackTheSame() {
        StoredStatus stored = new StoredStatus(new KeyStatus(KeyState.DISABLED, DUE, Duration.ofMinutes(15),
                DUE.plusSeconds(60)), 7);

        assertThat(stored.line()).isEqualTo("DISABLED;" + DUE.toEpochMilli() + ";900000;" + (DUE.toEpochMilli() + 60_000)
                + ";7");
        assertThat(StoredStatus.parse(stored.line())).isEqualTo(stored);
    }

    @Test
    void eachWriteIsOneVersionPastTheStateItRead() {
        StoredStatus read = new StoredStatus(KeyStatus.VALID, 41);

        assertThat(read.next(KeyStatus.cooling(DUE))).isEqualTo(new StoredStatus(KeyStatus.cooling(DUE), 42));
        assertThat(StoredStatus.parse(null)).isEqualTo(new StoredStatus(KeyStatus.VALID, 0));
    }

    @Test
    void aLineWrittenBeforeVersionsExistedReadsAsVersionZero() {
        assertThat(StoredStatus.parse("COOLING;" + DUE.toEpochMilli() + ";-;-"))
                .isEqualTo(new StoredStatus(KeyStatus.cooling(DUE), 0));
    }

    @Test
    void onlyAStateThatIsNotOlderSupersedesTheOneHeld() {
        StoredStatus held = new StoredStatus(KeyStatus.cooling(DUE), 5);

        assertThat(new StoredStatus(KeyStatus.VALID, 4).supersedes(held)).isFalse();
        assertThat(new StoredStatus(KeyStatus.cooling(DUE), 5).supersedes(held)).isTrue();
        assertThat(new StoredStatus(KeyStatus.VALID, 6).supersedes(held)).isTrue();
    }
}
