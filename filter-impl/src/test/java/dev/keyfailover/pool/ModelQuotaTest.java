package dev.keyfailover.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.testing.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md §15 in the pool: an empty quota for one model sets the key aside for that model only,
 * re-checked after {@code quotaRecheck} by one probe; a deadline the provider knows cools past
 * {@code maxCooldown}.
 */
class ModelQuotaTest {

    private static final List<String> SECRETS = List.of("AIzaSy-model-quota-key-0000000001",
            "AIzaSy-model-quota-key-0000000002");

    private final MutableClock clock = MutableClock.atFixedStart();
    private final KeyPool pool = new KeyPool("gemini", SECRETS, clock, PoolSettings.defaults(), clock::advance,
            LocalKeyStateStore.INSTANCE);

    private List<Integer> drain(String model) {
        List<Integer> handed = new ArrayList<>();
        try (KeyWalk walk = pool.walk(model)) {
            for (Key key = walk.next(); key != null; key = walk.next()) {
                handed.add(key.index());
            }
        }
        return handed;
    }

    private boolean mark(String model, int status, KeyVerdict verdict) {
        try (KeyWalk walk = pool.walk(model)) {
            return walk.record(walk.next(), status, verdict);
        }
    }

    @Test
    void anEmptyQuotaForOneModelSetsTheKeyAsideForThatModelOnly() {
        assertThat(mark("gemini-2.5-pro", 429, KeyVerdict.exhaustModel())).isTrue();

        assertThat(drain("gemini-2.5-pro")).containsExactly(1);
        assertThat(drain("gemini-2.5-flash")).containsExactly(0, 1);
        assertThat(pool.keys().get(0).state(clock.instant())).isEqualTo(KeyState.VALID);
        assertThat(pool.anyKeyExhausted("gemini-2.5-pro")).isTrue();
        assertThat(pool.anyKeyExhausted("gemini-2.5-flash")).isFalse();
        assertThat(pool.soonestCooldownEnd("gemini-2.5-pro")).isEmpty();
    }

    @Test
    void aModelsEmptyQuotaIsReCheckedByOneProbeAfterQuotaRecheckAndA2xxBringsItBack() {
        mark("gemini-2.5-pro", 429, KeyVerdict.exhaustModel());
        clock.advance(PoolSettings.DEFAULT_QUOTA_RECHECK);

        KeyWalk probe = pool.walk("gemini-2.5-pro");
        Key first = probe.next();
        assertThat(first.index()).isZero();
        assertThat(probe.isProbe(first)).isTrue();
        assertThat(drain("gemini-2.5-pro")).as("one probe at a time").containsExactly(1);
        assertThat(probe.record(first, 200, KeyVerdict.ACCEPT)).isTrue();
        probe.close();

        assertThat(drain("gemini-2.5-pro")).containsExactly(0, 1);
        assertThat(pool.anyKeyExhausted("gemini-2.5-pro")).isFalse();
    }

    @Test
    void aProbeAnsweredWithTheSameEmptyQuotaDoublesTheModelsRecheck() {
        mark("gemini-2.5-pro", 429, KeyVerdict.exhaustModel());
        clock.advance(PoolSettings.DEFAULT_QUOTA_RECHECK);

        assertThat(mark("gemini-2.5-pro", 429, KeyVerdict.exhaustModel())).isFalse();
        clock.advance(PoolSettings.DEFAULT_QUOTA_RECHECK);
        assertThat(drain("gemini-2.5-pro")).containsExactly(1);
        clock.advance(PoolSettings.DEFAULT_QUOTA_RECHECK);
        assertThat(drain("gemini-2.5-pro")).containsExactly(0, 1);
    }

    @Test
    void aModelsEmptyQuotaOnARequestWithoutAModelSetsTheWholeKeyAside() {
        mark(null, 429, KeyVerdict.exhaustModel());

        assertThat(pool.keys().get(0).state(clock.instant())).isEqualTo(KeyState.EXHAUSTED);
        assertThat(drain("gemini-2.5-flash")).containsExactly(1);
    }

    @Test
    void aDeadlineTheProviderKnowsCoolsPastMaxCooldown() {
        Instant now = clock.instant();
        Instant midnight = now.plus(Duration.ofHours(22));

        assertThat(mark("gemini-2.5-flash", 429, KeyVerdict.coolDownUntil(midnight, now))).isTrue();

        assertThat(pool.soonestCooldownEnd("gemini-2.5-flash")).hasValue(Duration.ofHours(22));
        clock.advance(Duration.ofHours(22).minusSeconds(1));
        assertThat(drain("gemini-2.5-flash")).containsExactly(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(drain("gemini-2.5-flash")).containsExactly(0, 1);
    }

    @Test
    void anAdvisedWaitIsStillCappedAtMaxCooldown() {
        mark("gemini-2.5-flash", 429, KeyVerdict.coolDown(Duration.ofHours(22)));

        assertThat(pool.soonestCooldownEnd("gemini-2.5-flash")).hasValue(PoolSettings.DEFAULT_MAX_COOLDOWN);
    }
}
