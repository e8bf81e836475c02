package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The slots that hold a watchdog's open watches for its sweep. */
class WatchSlotsTest {

    private final WatchSlots<String> slots = new WatchSlots<>(1);

    @Test
    void slotsGrowPastTheirFirstSegmentAndTheSweepSeesEachWatchOnceAtItsSlot() {
        Map<String, Integer> claimed = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            String watch = "watch-" + i;
            claimed.put(watch, slots.claim(watch));
        }

        Map<String, Integer> seen = new HashMap<>();
        slots.forEach((watch, slot) -> assertThat(seen.put(watch, slot)).as(watch + " seen twice").isNull());

        assertThat(seen).isEqualTo(claimed);
        assertThat(slots.capacity()).isGreaterThanOrEqualTo(1_000);
    }

    @Test
    void aReleasedSlotIsTakenAgainAndAStaleReleaseLeavesItsNewWatchInPlace() {
        String first = "first";
        int slot = slots.claim(first);
        slots.release(slot, first);
        String second = "second";
        assertThat(slots.claim(second)).as("the same thread finds its freed slot first").isEqualTo(slot);

        slots.release(slot, first); // the first watch's close and its firing may both release

        List<String> held = new ArrayList<>();
        slots.forEach((watch, at) -> held.add(watch));
        assertThat(held).containsExactly(second);
    }

    @Test
    void theFirstSegmentsMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new WatchSlots<String>(3)).hasMessageContaining("initialSegments");
    }
}
