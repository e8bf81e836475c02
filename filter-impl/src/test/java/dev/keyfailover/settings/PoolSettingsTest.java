package dev.keyfailover.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** behaviour.md §1, §3 and §6: the defaults of the pool's settings and their validation. */
class PoolSettingsTest {

    @Test
    void defaultsAreFifteenMinuteRecheckUpToADayOneHourCooldownCapAndNoWaiting() {
        PoolSettings defaults = PoolSettings.defaults();

        assertThat(defaults.authRecheck()).contains(Duration.ofMinutes(15));
        assertThat(defaults.maxAuthRecheck()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.maxCooldown()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.maxWaitForKey()).isZero();
    }

    @Test
    void withersChangeOnlyTheirOwnSetting() {
        PoolSettings settings = PoolSettings.defaults()
                .withAuthRecheck(Optional.empty())
                .withMaxCooldown(Duration.ofMinutes(5))
                .withMaxWaitForKey(Duration.ofSeconds(30));

        assertThat(settings.authRecheck()).isEmpty();
        assertThat(settings.maxCooldown()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.maxWaitForKey()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxAuthRecheck()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void nonPositiveDurationsAreRejected() {
        PoolSettings d = PoolSettings.defaults();

        assertThatThrownBy(() -> d.withAuthRecheck(Optional.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxCooldown(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PoolSettings(Optional.empty(), Duration.ZERO, Duration.ofHours(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxWaitForKey(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
