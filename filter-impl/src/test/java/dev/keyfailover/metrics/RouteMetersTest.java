package dev.keyfailover.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.chain.AttemptReport;
import dev.keyfailover.chain.TransportFailure;
import dev.keyfailover.pool.KeyHint;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.pool.Sleeper;
import dev.keyfailover.settings.PoolSettings;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The meters of one route: made at start, counted without lookups, removed at stop (behaviour.md §11). */
class RouteMetersTest {

    private static final String A = KeyHint.of("sk-aaaa-000000000001");
    private static final String B = KeyHint.of("sk-bbbb-000000000002");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static KeyPool pool(String... keys) {
        return new KeyPool("openai", List.of(keys), Clock.systemUTC(), PoolSettings.defaults(), Sleeper.THREAD,
                LocalKeyStateStore.INSTANCE);
    }

    @Test
    void everyMeterOfARouteWithAPoolIsMadeAtStartAndRemovedAtStop() {
        RouteMeters meters = RouteMeters.register(registry, "openai", pool("sk-aaaa-000000000001", "sk-bbbb-000000000002",
                "sk-cccc-000000000003"), List.of(), List.of());

        // requests 7 (outcomes, client none) + keys gauge 4 + attempts 3 × 9 + transitions 3 × 5 + exhaustions 4 + timer 9
        assertThat(registry.getMeters()).hasSize(7 + 4 + 27 + 15 + 4 + 9);
        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName()).containsOnly(MeterNames.REQUESTS,
                MeterNames.KEYS, MeterNames.ATTEMPTS, MeterNames.TRANSITIONS, MeterNames.EXHAUSTIONS,
                MeterNames.UPSTREAM_DURATION);
        assertThat(registry.get(MeterNames.KEYS).tag("state", "VALID").gauge().value()).isEqualTo(3);

        meters.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void theClientTagTakesTheConfiguredNamesAndNoneOnly() {
        RouteMeters meters = RouteMeters.register(registry, "openai", null, List.of(), List.of("alice", "bob"));

        meters.request(RequestOutcome.SERVED, java.util.Optional.of("alice"));
        meters.request(RequestOutcome.UNAUTHORIZED, java.util.Optional.empty());
        meters.request(RequestOutcome.SERVED, java.util.Optional.of("not-configured"));

        assertThat(registry.find(MeterNames.REQUESTS).meters()).hasSize(3 * 7)
                .extracting(meter -> meter.getId().getTag("client")).containsOnly("alice", "bob", "none");
        assertThat(registry.get(MeterNames.REQUESTS).tag("client", "alice").tag("outcome", "served").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(MeterNames.REQUESTS).tag("client", "none").tag("outcome", "unauthorized").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get(MeterNames.REQUESTS).tag("client", "none").tag("outcome", "served").counter().count())
                .isEqualTo(1);
        meters.close();
    }

    @Test
    void aRouteWithoutAPoolHasRequestsAndUpstreamTimesOnly() {
        RouteMeters meters = RouteMeters.register(registry, "passthrough", null, List.of(), List.of());

        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName())
                .containsOnly(MeterNames.REQUESTS, MeterNames.UPSTREAM_DURATION).hasSize(7 + 9);
        meters.events().attempt(AttemptReport.answered(null, 200, null, false, false, 1_000_000, false));
        meters.events().attempt(AttemptReport.failed(null, TransportFailure.TRANSIENT, 2_000_000));
        meters.request(RequestOutcome.SERVED, Optional.empty());
        assertThat(registry.get(MeterNames.UPSTREAM_DURATION).tag("outcome", "ok").timer().count()).isEqualTo(1);
        assertThat(registry.get(MeterNames.UPSTREAM_DURATION).tag("outcome", "transport").timer().count()).isEqualTo(1);
        assertThat(registry.get(MeterNames.REQUESTS).tag("outcome", "served").counter().count()).isEqualTo(1);
        meters.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void keysWithTheSameHintKeepMetersOfTheirOwn() {
        KeyPool pool = pool("short-1", "short-2", "sk-long-enough-00000001");
        RouteMeters.register(registry, "openai", pool, List.of(), List.of());

        assertThat(registry.find(MeterNames.ATTEMPTS).tag("outcome", "ok").counters())
                .extracting(counter -> counter.getId().getTag("key"))
                .containsExactlyInAnyOrder("****#0", "****#1", KeyHint.of("sk-long-enough-00000001"));
    }

    @Test
    void eventsCountTheVerdictAndTheTransitionOnlyWhenThereIsOne() {
        KeyPool pool = pool("sk-aaaa-000000000001", "sk-bbbb-000000000002");
        RouteMeters meters = RouteMeters.register(registry, "openai", pool, List.of(), List.of());

        meters.events().attempt(attempt(pool, 0, 429, KeyVerdict.coolDown(null), true, false, 5_000_000));
        meters.events().attempt(attempt(pool, 0, 429, KeyVerdict.coolDown(null), false, false, 5_000_000));
        meters.events().attempt(attempt(pool, 1, 403, KeyVerdict.SKIP, false, false, 5_000_000));
        meters.events().attempt(attempt(pool, 1, 500, KeyVerdict.ACCEPT, false, false, 5_000_000));
        meters.events().attempt(attempt(pool, 1, 200, KeyVerdict.ACCEPT, true, true, 5_000_000));
        meters.events().exhausted(new KeyPoolExhaustion("openai", KeyPoolExhaustion.Kind.QUOTA_EXHAUSTED,
                java.time.Duration.ZERO), 2);
        meters.events().refusalRelayed(2);
        meters.keyReset(pool.keys().get(0).id());

        assertThat(count(MeterNames.ATTEMPTS, "key", A, "outcome", "rate_limited")).isEqualTo(2);
        assertThat(count(MeterNames.TRANSITIONS, "key", A, "to", "cooling")).isEqualTo(1);
        assertThat(count(MeterNames.ATTEMPTS, "key", B, "outcome", "forbidden")).isEqualTo(1);
        assertThat(count(MeterNames.ATTEMPTS, "key", B, "outcome", "passed")).isEqualTo(1);
        assertThat(count(MeterNames.ATTEMPTS, "key", B, "outcome", "ok")).isEqualTo(1);
        assertThat(count(MeterNames.TRANSITIONS, "key", B, "to", "valid")).as("a re-check").isEqualTo(1);
        assertThat(count(MeterNames.TRANSITIONS, "key", A, "to", "valid")).as("a reset").isEqualTo(1);
        assertThat(count(MeterNames.EXHAUSTIONS, "kind", "quota")).isEqualTo(1);
        assertThat(count(MeterNames.EXHAUSTIONS, "kind", "forbidden")).isEqualTo(1);
        assertThat(registry.get(MeterNames.UPSTREAM_DURATION).tag("outcome", "rate_limited").timer().count())
                .isEqualTo(2);
    }

    @Test
    void aCompositeRegistryLosesTheMetersInTheRegistriesItHoldsToo() {
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(registry);
        RouteMeters meters = RouteMeters.register(composite, "openai", pool("sk-aaaa-000000000001"), List.of(), List.of());
        meters.request(RequestOutcome.SERVED, Optional.empty());
        assertThat(registry.get(MeterNames.REQUESTS).tag("outcome", "served").counter().count()).isEqualTo(1);

        meters.close();

        assertThat(composite.getMeters()).isEmpty();
        assertThat(registry.getMeters()).extracting(Meter::getId).isEmpty();
    }

    @Test
    void onACompositeHoldingNoRegistryNothingIsRecordedUntilOneIsAdded() {
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        KeyPool pool = pool("sk-aaaa-000000000001");
        RouteMeters meters = RouteMeters.register(composite, "openai", pool, List.of(), List.of());
        meters.request(RequestOutcome.SERVED, Optional.empty());
        meters.events().attempt(attempt(pool, 0, 200, KeyVerdict.ACCEPT, false, false, 1_000));

        composite.add(registry);
        meters.request(RequestOutcome.SERVED, Optional.empty());
        meters.events().attempt(attempt(pool, 0, 429, KeyVerdict.coolDown(null), true, false, 1_000));

        assertThat(count(MeterNames.REQUESTS, "outcome", "served")).isEqualTo(1);
        assertThat(count(MeterNames.ATTEMPTS, "outcome", "ok")).isZero();
        assertThat(count(MeterNames.ATTEMPTS, "outcome", "rate_limited")).isEqualTo(1);
        assertThat(count(MeterNames.TRANSITIONS, "to", "cooling")).isEqualTo(1);
        meters.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aTransientStatusIsTransientNotPassedAndATransportFailureIsATimeoutOrNotByItsKind() {
        KeyPool pool = pool("sk-aaaa-000000000001", "sk-bbbb-000000000002");
        RouteMeters meters = RouteMeters.register(registry, "openai", pool, List.of(), List.of());

        meters.events().attempt(AttemptReport.answered(pool.keys().get(0).id(), 503, KeyVerdict.ACCEPT, false, false,
                1_000_000, true));
        meters.events().attempt(AttemptReport.answered(pool.keys().get(0).id(), 404, KeyVerdict.ACCEPT, false, false,
                1_000_000, false));
        meters.events().attempt(AttemptReport.failed(pool.keys().get(1).id(), TransportFailure.TIMEOUT, 3_000_000));
        meters.events().attempt(AttemptReport.failed(pool.keys().get(1).id(), TransportFailure.TRANSIENT, 1_000_000));
        meters.events().attempt(AttemptReport.failed(pool.keys().get(1).id(), TransportFailure.OTHER, 1_000_000));

        assertThat(count(MeterNames.ATTEMPTS, "key", A, "outcome", "transient")).isEqualTo(1);
        assertThat(count(MeterNames.ATTEMPTS, "key", A, "outcome", "passed")).isEqualTo(1);
        assertThat(count(MeterNames.ATTEMPTS, "key", B, "outcome", "timeout")).isEqualTo(1);
        assertThat(count(MeterNames.ATTEMPTS, "key", B, "outcome", "transport")).isEqualTo(2);
        assertThat(registry.get(MeterNames.UPSTREAM_DURATION).tag("outcome", "timeout").timer().count()).isEqualTo(1);
        assertThat(registry.get(MeterNames.UPSTREAM_DURATION).tag("outcome", "transient").timer().count()).isEqualTo(1);
        assertThat(AttemptOutcome.values()).extracting(AttemptOutcome::tag).contains("transient", "timeout");
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private static AttemptReport attempt(KeyPool pool, int index, int status, KeyVerdict verdict, boolean transition,
                                         boolean probe, long nanos) {
        return AttemptReport.answered(pool.keys().get(index).id(), status, verdict, transition, probe, nanos, false);
    }
}
