package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.testing.FakeUpstream;
import dev.keyfailover.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * behaviour.md §10, {@code keyOrder}: which usable key a request tries first. {@code priority}
 * (default) the first usable one; {@code headroom} the one with the largest known share of its
 * request limit left for the model (unknown or refilled counts as full, ties by position);
 * {@code round-robin} one key further on each request.
 */
class KeyOrderTest {

    static final String K1 = "sk-order-first-key-0000000001";
    static final String K2 = "sk-order-second-key-000000002";
    static final String K3 = "sk-order-third-key-0000000003";
    static final String A = "gpt-a";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(K1, K2, K3);
    private final FakeUpstream upstream = chain.upstream();
    private final MutableClock clock = chain.clock();

    private void client(PoolSettings.KeyOrder order) {
        chain.poolSettings(PoolSettings.defaults().withKeyOrder(order));
        chain.client(chain.openAi());
    }

    /** 200 saying how much of a request limit of 100 is left, refilling in {@code reset}. */
    private static FakeUpstream.Reply left(int remaining, String reset) {
        return FakeUpstream.withHeaders(FakeUpstream.ok("{}"), "x-ratelimit-limit-requests", "100",
                "x-ratelimit-remaining-requests", Integer.toString(remaining), "x-ratelimit-reset-requests", reset);
    }

    private void chat(String model, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            assertThat(chain.answer(chain.chat(model)).status()).isEqualTo(200);
        }
    }

    @Test
    void headroomChoosesTheKeyWithTheMostOfItsRequestLimitLeftCountingUnknownAsFull() throws Exception {
        upstream.on(K1, left(5, "60s")).on(K2, left(80, "60s")).on(K3, left(50, "60s"));
        client(PoolSettings.KeyOrder.HEADROOM);

        chat(A, 5);

        // 1: nothing known, ties by position; 2: K1 has 5 %, K2 and K3 unknown (full), K2 first by position;
        // 3: K3 unknown (full) beats K2's 80 %; then K2's 80 % beats K3's 50 % and K1's 5 %.
        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K3, K2, K2);
    }

    @Test
    void headroomFromTwoKnownKeysChoosesTheOneWithMoreLeft() throws Exception {
        chain.keys(K1, K2);
        upstream.on(K1, left(5, "60s")).on(K2, left(80, "60s"));
        client(PoolSettings.KeyOrder.HEADROOM);

        chat(A, 4);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K2, K2);
    }

    @Test
    void headroomTiesGoByPosition() throws Exception {
        upstream.on(K1, left(50, "60s")).on(K2, left(50, "60s")).on(K3, left(50, "60s"));
        client(PoolSettings.KeyOrder.HEADROOM);

        chat(A, 5);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K3, K1, K1);
    }

    @Test
    void headroomCountsALimitWhoseResetHasPassedAsFull() throws Exception {
        chain.keys(K1, K2);
        upstream.on(K1, left(5, "1s")).on(K2, left(80, "60s"));
        client(PoolSettings.KeyOrder.HEADROOM);
        chat(A, 3);
        upstream.clearRequests();

        clock.advance(Duration.ofSeconds(1));
        chat(A, 1);

        assertThat(upstream.keysSeen()).containsExactly(K1);
    }

    @Test
    void headroomIsCountedPerModel() throws Exception {
        chain.keys(K1, K2);
        upstream.on(K1, left(5, "60s")).on(K2, left(80, "60s"));
        client(PoolSettings.KeyOrder.HEADROOM);
        chat(A, 2);
        upstream.clearRequests();

        chat("gpt-b", 1);

        assertThat(upstream.keysSeen()).as("nothing known for gpt-b: first by position").containsExactly(K1);
    }

    @Test
    void headroomStillFailsOverWhenTheKeyWithMostLeftIsRateLimited() throws Exception {
        upstream.on(K1, left(5, "60s")).on(K2, left(80, "60s")).on(K3, left(50, "60s"));
        client(PoolSettings.KeyOrder.HEADROOM);
        chat(A, 3);
        upstream.on(K2, FakeUpstream.rateLimited("30"));
        upstream.clearRequests();

        chat(A, 1);

        assertThat(upstream.keysSeen()).containsExactly(K2, K3);
    }

    @Test
    void roundRobinStartsEachRequestOneKeyFurther() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{}")).on(K2, FakeUpstream.ok("{}")).on(K3, FakeUpstream.ok("{}"));
        client(PoolSettings.KeyOrder.ROUND_ROBIN);

        chat(A, 7);

        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K3, K1, K2, K3, K1);
    }

    @Test
    void roundRobinFailsOverAroundTheEndOfTheList() throws Exception {
        upstream.on(K1, FakeUpstream.ok("{}")).on(K2, FakeUpstream.ok("{}")).on(K3, FakeUpstream.status(401));
        client(PoolSettings.KeyOrder.ROUND_ROBIN);

        chat(A, 4);

        // The third request starts at K3, which fails, and goes on at K1; the fourth starts at K1.
        assertThat(upstream.keysSeen()).containsExactly(K1, K2, K3, K1, K1);
    }

    @Test
    void priorityStartsAtTheFirstUsableKeyWhateverIsLeftOnIt() throws Exception {
        upstream.on(K1, left(1, "60s")).on(K2, left(100, "60s"));
        client(PoolSettings.KeyOrder.PRIORITY);

        chat(A, 3);

        assertThat(upstream.keysSeen()).containsExactly(K1, K1, K1);
        assertThat(PoolSettings.defaults().keyOrder()).isEqualTo(PoolSettings.KeyOrder.PRIORITY);
    }
}
