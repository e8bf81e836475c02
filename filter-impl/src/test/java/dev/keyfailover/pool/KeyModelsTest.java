package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import dev.keyfailover.api.RateLimits;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** What a key keeps per model: the provider's word on its limits, bounded as its states are. */
class KeyModelsTest {

    private final MutableClock clock = MutableClock.atFixedStart();

    private Key key(String secret) {
        return new KeyPool("openai", List.of(secret), clock, PoolSettings.defaults(), Sleeper.THREAD,
                LocalKeyStateStore.INSTANCE).keys().get(0);
    }

    private RateLimits remaining(long remaining) {
        return new RateLimits(List.of(new RateLimits.Window("requests", 100, remaining, clock.instant().plusSeconds(60))));
    }

    @Test
    void theLimitsOfAtMostSixtyFourModelsAreKeptAndAKnownModelsAreStillUpdated() {
        KeyModels models = key("sk-limits-many-models-000001").models();
        for (int i = 0; i < Key.MAX_MODELS; i++) {
            models.observe("model-" + i, remaining(50));
        }

        models.observe("model-one-too-many", remaining(40));
        models.observe("model-0", remaining(10));

        assertThat(models.limits("model-one-too-many")).as("a client's model names cannot grow the map").isNull();
        assertThat(models.allLimits()).hasSize(Key.MAX_MODELS);
        assertThat(models.limits("model-0")).isEqualTo(remaining(10));
    }

    @Test
    void anUnknownModelsLimitsAreTheKeysAsAWhole() {
        Key key = key("sk-limits-any-model-0000002");

        key.models().observe(null, remaining(7));

        assertThat(key.limits(null)).isEqualTo(remaining(7));
        assertThat(key.models().allLimits()).containsOnlyKeys(Key.ANY_MODEL);
    }

    @Test
    void onlyCooldownsNotEndedAreListed() {
        Key key = key("sk-model-cooldowns-00000003");
        Instant now = clock.instant();
        key.coolModelUntil("short", now.plusSeconds(5), now);
        key.coolModelUntil("long", now.plusSeconds(50), now);

        assertThat(key.models().cooldowns(now.plusSeconds(10))).containsOnlyKeys("long")
                .containsEntry("long", now.plusSeconds(50));
    }
}
