package dev.keyfailover.chain;

import dev.keyfailover.settings.PoolSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyWalk;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.provider.OpenAiProviderFactory;
import dev.keyfailover.testing.MutableClock;

/** behaviour.md §6: the failover strategy classifying a walk that ran dry, and waiting for a key with maxWaitForKey. */
class ExhaustionTest {

    private static final List<String> SECRETS = List.of(
            "sk-proj-AAAAaaaaBBBBbbbbCCCCcccc0000",
            "sk-proj-DDDDddddEEEEeeeeFFFFffff1111",
            "sk-proj-GGGGggggHHHHhhhhIIIIiiii2222");

    private final MutableClock clock = MutableClock.atFixedStart();
    private final List<Duration> sleeps = new ArrayList<>();

    private KeyPool pool(PoolSettings settings, List<String> secrets) {
        return new KeyPool("openai", secrets, clock, settings, duration -> {
            sleeps.add(duration);
            clock.advance(duration);
        }, LocalKeyStateStore.INSTANCE);
    }

    private KeyPool pool(PoolSettings settings) {
        return pool(settings, SECRETS);
    }

    /** Marks one key from a walk of its own, as another request would. */
    private static void mark(KeyPool pool, int index, int status, KeyVerdict verdict) {
        KeyWalk walk = pool.walk(null);
        Key key;
        do {
            key = walk.next();
        } while (key != null && key.index() != index);
        assertThat(key).as("key %d must be handed out", index).isNotNull();
        walk.record(key, status, verdict);
    }

    private KeyPoolExhaustion drainAndClassify(KeyPool pool) {
        KeyWalk walk = pool.walk(null);
        for (Key key = walk.next(); key != null; key = walk.next()) {
            walk.record(key, 429, KeyVerdict.coolDown(Duration.ofSeconds(60)));
        }
        return classify(pool, walk);
    }

    private static FailoverStrategy strategy(KeyPool pool) {
        return new FailoverStrategy(new OpenAiProviderFactory().create(new ProviderSettings("openai",
                java.net.URI.create("http://upstream.test"), Map.of())), pool.settings().maxWaitForKey());
    }

    private static KeyPoolExhaustion classify(KeyPool pool, KeyWalk walk) {
        return strategy(pool).classify(PoolView.of(walk, pool));
    }

    /** What the failover handler does with the strategy's wait: the pool's pause, then walk again. */
    private boolean awaitKey(KeyPool pool, KeyPoolExhaustion exhaustion, Instant startedAt)
            throws InterruptedException {
        Optional<Duration> wait = strategy(pool).waitForKey(exhaustion, true, startedAt, Optional.empty(), clock.instant());
        if (wait.isPresent()) {
            pool.pause(wait.get());
        }
        return wait.isPresent();
    }

    private static void assertNoSecretIn(KeyPoolExhaustion e) {
        for (String secret : SECRETS) {
            assertThat(e.message()).doesNotContain(secret).doesNotContain(secret.substring(8, 20));
        }
    }

    // --- classification ---

    @Test
    void untriedKeyWhoseCooldownJustEndedGivesRateLimitedWithRetryAfterZero() {
        KeyPool pool = pool(PoolSettings.defaults());
        mark(pool, 2, 429, KeyVerdict.coolDown(Duration.ofSeconds(10)));
        KeyWalk walk = pool.walk(null);
        walk.record(walk.next(), 429, KeyVerdict.coolDown(Duration.ofSeconds(60)));
        walk.record(walk.next(), 401, KeyVerdict.DISABLE);
        assertThat(walk.next()).isNull();

        clock.advance(Duration.ofSeconds(10));
        KeyPoolExhaustion e = classify(pool, walk);

        assertThat(e.kind()).isEqualTo(KeyPoolExhaustion.Kind.RATE_LIMITED);
        assertThat(e.kind().status()).isEqualTo(429);
        assertThat(e.retryAfter()).isZero();
        assertThat(e.retryAfterHeaderValue()).isNull();
        assertThat(e.message()).contains("all configured keys are rate-limited");
    }

    @Test
    void anyCoolingKeyGivesRateLimitedWithTheSoonestRemainingCooldown() {
        KeyPool pool = pool(PoolSettings.defaults());
        mark(pool, 0, 429, KeyVerdict.coolDown(Duration.ofSeconds(120)));
        mark(pool, 1, 429, KeyVerdict.coolDown(Duration.ofSeconds(30)));
        mark(pool, 2, 401, KeyVerdict.DISABLE);
        clock.advance(Duration.ofSeconds(10));

        KeyWalk walk = pool.walk(null);
        assertThat(walk.next()).isNull();
        KeyPoolExhaustion e = classify(pool, walk);

        assertThat(e.kind()).isEqualTo(KeyPoolExhaustion.Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(e.retryAfterHeaderValue()).isEqualTo("20");
        assertThat(e.message()).isEqualTo("openai: all configured keys are rate-limited");
        assertNoSecretIn(e);
    }

    @Test
    void rateLimitedRetryAfterHeaderIsRoundedUpToWholeSeconds() {
        KeyPool pool = pool(PoolSettings.defaults(), SECRETS.subList(0, 1));
        KeyWalk walk = pool.walk(null);
        walk.record(walk.next(), 429, KeyVerdict.coolDown(Duration.ofMillis(1500)));

        KeyPoolExhaustion e = classify(pool, walk);

        assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500));
        assertThat(e.retryAfterHeaderValue()).isEqualTo("2");
    }

    @Test
    void rateLimitedKeysTriedByThisRequestStillGiveRateLimited() {
        KeyPool pool = pool(PoolSettings.defaults());

        KeyPoolExhaustion e = drainAndClassify(pool);

        assertThat(e.kind()).isEqualTo(KeyPoolExhaustion.Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void everyKeyDisabledGivesAuthenticationFailed() {
        KeyPool pool = pool(PoolSettings.defaults());
        KeyWalk walk = pool.walk(null);
        for (Key key = walk.next(); key != null; key = walk.next()) {
            walk.record(key, 401, KeyVerdict.DISABLE);
        }

        KeyPoolExhaustion e = classify(pool, walk);

        assertThat(e.kind()).isEqualTo(KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED);
        assertThat(e.kind().status()).isEqualTo(502);
        assertThat(e.retryAfter()).isZero();
        assertThat(e.retryAfterHeaderValue()).isNull();
        assertThat(e.message()).isEqualTo("openai: all configured keys failed authentication");
        assertNoSecretIn(e);
    }

    @Test
    void everyKeyDisabledWithRechecksOffGivesAuthenticationFailed() {
        KeyPool pool = pool(PoolSettings.defaults().withAuthRecheck(Optional.empty()));
        for (int i = 0; i < SECRETS.size(); i++) {
            mark(pool, i, 401, KeyVerdict.DISABLE);
        }
        clock.advance(Duration.ofDays(2));

        KeyWalk walk = pool.walk(null);
        assertThat(walk.next()).isNull();

        assertThat(classify(pool, walk).kind()).isEqualTo(KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED);
    }

    @Test
    void disabledKeysNextToACoolingKeyGiveRateLimited() {
        KeyPool pool = pool(PoolSettings.defaults());
        mark(pool, 0, 401, KeyVerdict.DISABLE);
        mark(pool, 1, 429, KeyVerdict.coolDown(Duration.ofSeconds(45)));
        mark(pool, 2, 401, KeyVerdict.DISABLE);

        KeyWalk walk = pool.walk(null);
        assertThat(walk.next()).isNull();
        KeyPoolExhaustion e = classify(pool, walk);

        assertThat(e.kind()).isEqualTo(KeyPoolExhaustion.Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void keyTriedByThisRequestWhoseShortCooldownEndedBeforeTheWalkRanDryIsNotAnAuthenticationFailure() {
        // key 0 answers 429 with a 1 s wait, key 1 answers 401 a second later: no key failed
        // authentication except key 1, and key 0 is usable again. The classification must not
        // say "all configured keys failed authentication" (behaviour.md §6: that is for every key DISABLED).
        KeyPool pool = pool(PoolSettings.defaults(), SECRETS.subList(0, 2));
        KeyWalk walk = pool.walk(null);
        walk.record(walk.next(), 429, KeyVerdict.coolDown(Duration.ofSeconds(1)));
        clock.advance(Duration.ofSeconds(1));
        walk.record(walk.next(), 401, KeyVerdict.DISABLE);
        assertThat(walk.next()).isNull();

        KeyPoolExhaustion e = classify(pool, walk);

        assertThat(e.kind()).isEqualTo(KeyPoolExhaustion.Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isZero();
    }

    @Test
    void classifyingChangesNothing() {
        KeyPool pool = pool(PoolSettings.defaults());
        mark(pool, 0, 429, KeyVerdict.coolDown(Duration.ofSeconds(30)));
        mark(pool, 1, 401, KeyVerdict.DISABLE);
        KeyWalk walk = pool.walk(null);
        walk.next();
        List<KeySnapshot> before = pool.snapshot();

        classify(pool, walk);
        classify(pool, walk);

        assertThat(pool.snapshot()).isEqualTo(before);
    }

    // --- maxWaitForKey ---

    @Test
    void requestWaitsForTheSoonestCooldownWhenItEndsWithinMaxWaitForKey() throws InterruptedException {
        KeyPool pool = pool(PoolSettings.defaults().withMaxWaitForKey(Duration.ofMinutes(2)));
        mark(pool, 0, 429, KeyVerdict.coolDown(Duration.ofSeconds(90)));
        mark(pool, 1, 429, KeyVerdict.coolDown(Duration.ofSeconds(60)));
        mark(pool, 2, 429, KeyVerdict.coolDown(Duration.ofSeconds(300)));
        Instant start = clock.instant();
        Instant startedAt = clock.instant();
        KeyWalk walk = pool.walk(null);
        assertThat(walk.next()).isNull();

        boolean walkAgain = awaitKey(pool, classify(pool, walk), startedAt);

        assertThat(walkAgain).isTrue();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(60));
        assertThat(clock.instant()).isEqualTo(start.plusSeconds(60));
        assertThat(pool.walk(null).next().index()).isEqualTo(1);
    }

    @Test
    void requestWaitsWhenTheCooldownEndsExactlyAtTheDeadline() throws InterruptedException {
        KeyPool pool = pool(PoolSettings.defaults().withMaxWaitForKey(Duration.ofSeconds(60)));
        KeyPoolExhaustion e = drainAndClassify(pool);

        assertThat(awaitKey(pool, e, clock.instant())).isTrue();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(60));
    }

    @Test
    void requestDoesNotWaitWhenTheSoonestCooldownEndsBeyondMaxWaitForKey() throws InterruptedException {
        KeyPool pool = pool(PoolSettings.defaults().withMaxWaitForKey(Duration.ofSeconds(30)));
        Instant start = clock.instant();
        KeyPoolExhaustion e = drainAndClassify(pool);

        assertThat(awaitKey(pool, e, clock.instant())).isFalse();

        assertThat(sleeps).isEmpty();
        assertThat(clock.instant()).isEqualTo(start);
    }

    @Test
    void waitingCountsAgainstTheDeadlineOfTheRequestNotAFreshOne() throws InterruptedException {
        KeyPool pool = pool(PoolSettings.defaults().withMaxWaitForKey(Duration.ofSeconds(90)), SECRETS.subList(0, 1));
        Instant startedAt = clock.instant();

        assertThat(awaitKey(pool, drainAndClassify(pool), startedAt)).isTrue();
        // walked again, rate-limited again for 60 s: 120 s in total is beyond the 90 s allowed
        assertThat(awaitKey(pool, drainAndClassify(pool), startedAt)).isFalse();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(60));
    }

    @Test
    void requestDoesNotWaitOnAnAuthenticationFailure() throws InterruptedException {
        KeyPool pool = pool(PoolSettings.defaults().withMaxWaitForKey(Duration.ofHours(1)));
        KeyPoolExhaustion e = new KeyPoolExhaustion("openai", KeyPoolExhaustion.Kind.AUTHENTICATION_FAILED,
                Duration.ZERO);

        assertThat(awaitKey(pool, e, clock.instant())).isFalse();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void requestDoesNotWaitWhenMaxWaitForKeyIsZero() throws InterruptedException {
        KeyPool pool = pool(PoolSettings.defaults());
        KeyPoolExhaustion e = drainAndClassify(pool);

        assertThat(awaitKey(pool, e, clock.instant())).isFalse();
                assertThat(sleeps).isEmpty();
    }

    @Test
    void requestWalksAgainAtOnceWhenAKeyIsAlreadyUsable() throws InterruptedException {
        KeyPool pool = pool(PoolSettings.defaults().withMaxWaitForKey(Duration.ofSeconds(30)));
        KeyPoolExhaustion e = new KeyPoolExhaustion("openai", KeyPoolExhaustion.Kind.RATE_LIMITED, Duration.ZERO);

        assertThat(awaitKey(pool, e, clock.instant())).isTrue();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void waitingHoldsNoLockSoOtherRequestsGoOn() throws Exception {
        List<Boolean> holdsLock = new ArrayList<>();
        List<Integer> handedMeanwhile = new ArrayList<>();
        KeyPool[] holder = new KeyPool[1];
        KeyPool pool = new KeyPool("openai", SECRETS, clock,
                PoolSettings.defaults().withMaxWaitForKey(Duration.ofMinutes(2)), duration -> {
                    holdsLock.add(Thread.holdsLock(holder[0]));
                    Thread other = new Thread(() -> {
                        KeyWalk walk = holder[0].walk(null);
                        Key key = walk.next();
                        handedMeanwhile.add(key == null ? -1 : key.index());
                    });
                    other.start();
                    other.join(10_000);
                    clock.advance(duration);
                }, LocalKeyStateStore.INSTANCE);
        holder[0] = pool;
        KeyPoolExhaustion e = drainAndClassify(pool);

        assertThat(awaitKey(pool, e, clock.instant())).isTrue();

        assertThat(holdsLock).containsExactly(false);
        assertThat(handedMeanwhile).containsExactly(-1);
    }

    @Test
    void interruptedWaitIsPassedOn() {
        KeyPool pool = new KeyPool("openai", SECRETS, clock,
                PoolSettings.defaults().withMaxWaitForKey(Duration.ofMinutes(2)), duration -> {
                    throw new InterruptedException("shutting down");
                }, LocalKeyStateStore.INSTANCE);
        KeyPoolExhaustion e = drainAndClassify(pool);

        assertThatThrownBy(() -> awaitKey(pool, e, clock.instant())).isInstanceOf(InterruptedException.class);
    }
}
