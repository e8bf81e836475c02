package dev.keyfailover.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.chain.AttemptReport;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyHint;
import dev.keyfailover.pool.KeyEntry;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeySource;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.pool.Sleeper;
import dev.keyfailover.settings.PoolSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** behaviour.md §14 with §11: a key that joins the pool gets its meters, a key that leaves takes them along. */
class KeyMetersReloadTest {

    private static final String A = "sk-aaaa-000000000001";
    private static final String B = "sk-bbbb-000000000002";
    private static final String C = "sk-cccc-000000000003";
    private static final String SHORT_1 = "short1";
    private static final String SHORT_2 = "short2";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KeyPool pool = new KeyPool("openai", List.of(A, B), Clock.systemUTC(), PoolSettings.defaults(),
            Sleeper.THREAD, LocalKeyStateStore.INSTANCE);
    private final RouteMeters meters = RouteMeters.register(registry, "openai", pool, List.of(), List.of());

    private long attemptMeters(String tag) {
        return registry.find(MeterNames.ATTEMPTS).tag(MeterNames.KEY, tag).counters().size();
    }

    private void attempt(Key key) {
        meters.events().attempt(AttemptReport.answered(key.id(), 200, KeyVerdict.ACCEPT, false, false, 1, false));
    }

    @Test
    void anAddedKeyIsCountedUnderItsHintAndARemovedKeysMetersAreGone() {
        int before = registry.getMeters().size();
        pool.replace(KeyEntry.all(List.of(B, C), KeySource.FILE));

        assertThat(attemptMeters(KeyHint.of(A))).isZero();
        assertThat(attemptMeters(KeyHint.of(C))).isPositive();
        assertThat(registry.getMeters()).hasSize(before);
        Key c = pool.keys().get(1);
        attempt(c);
        attempt(c);
        assertThat(registry.find(MeterNames.ATTEMPTS).tag(MeterNames.KEY, KeyHint.of(C)).tag(MeterNames.OUTCOME, "ok")
                .counter().count()).isEqualTo(2);

        meters.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void anAttemptOfAKeyRemovedMeanwhileIsNotCountedAndBreaksNothing() {
        Key a = pool.keys().get(0);
        pool.replace(KeyEntry.all(List.of(B), KeySource.FILE));

        attempt(a);

        assertThat(attemptMeters(KeyHint.of(A))).isZero();
    }

    @Test
    void anAddedKeyWhoseHintIsAlreadyATagGetsItsOwnTag() {
        pool.replace(KeyEntry.all(List.of(A, SHORT_1), KeySource.FILE));
        pool.replace(KeyEntry.all(List.of(A, SHORT_1, SHORT_2), KeySource.FILE));

        assertThat(attemptMeters("****")).isPositive();
        Key second = pool.keys().get(2);
        assertThat(attemptMeters("****#" + second.index())).isPositive();
    }
}
