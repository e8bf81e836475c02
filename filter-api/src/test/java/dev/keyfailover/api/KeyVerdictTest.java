package dev.keyfailover.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The verdicts of behaviour.md §15 that carry more than an action and a wait. */
class KeyVerdictTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void aKnownDeadlineIsKeptWithTheWaitUntilIt() {
        Instant midnight = Instant.parse("2026-11-25T08:00:00Z");

        KeyVerdict verdict = KeyVerdict.coolDownUntil(midnight, NOW);

        assertThat(verdict.action()).isEqualTo(KeyVerdict.Action.COOL_DOWN);
        assertThat(verdict.until()).isEqualTo(midnight);
        assertThat(verdict.cooldown()).isEqualTo(Duration.ofHours(22));
        assertThat(verdict.modelOnly()).isFalse();
    }

    @Test
    void aDeadlineThatIsNotAheadIsTheDefaultCooldownWithoutDeadline() {
        KeyVerdict verdict = KeyVerdict.coolDownUntil(NOW, NOW);

        assertThat(verdict).isEqualTo(KeyVerdict.coolDown(null));
        assertThat(verdict.until()).isNull();
        assertThat(verdict.cooldown()).isEqualTo(KeyVerdict.DEFAULT_COOLDOWN);
    }

    @Test
    void aModelsEmptyQuotaIsAnExhaustionLimitedToTheModel() {
        assertThat(KeyVerdict.exhaustModel().action()).isEqualTo(KeyVerdict.Action.EXHAUST);
        assertThat(KeyVerdict.exhaustModel().modelOnly()).isTrue();
        assertThat(KeyVerdict.EXHAUST.modelOnly()).isFalse();
    }

    @Test
    void onlyAnExhaustionIsLimitedToAModelAndOnlyACooldownHasADeadline() {
        KeyVerdict skip = new KeyVerdict(KeyVerdict.Action.SKIP, Duration.ofSeconds(5), NOW.plusSeconds(5), true);

        assertThat(skip).isEqualTo(KeyVerdict.SKIP);
        assertThat(new KeyVerdict(KeyVerdict.Action.COOL_DOWN, Duration.ofSeconds(5))).extracting(KeyVerdict::until)
                .isNull();
    }
}
