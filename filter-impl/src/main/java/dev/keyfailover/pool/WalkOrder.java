package dev.keyfailover.pool;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyfailover.api.RateLimits;
import dev.keyfailover.settings.PoolSettings;

/** The order a walk tries keys in ({@code keyOrder}, behaviour.md §10). */
abstract class WalkOrder {

    /** The order of one walk, by key index; {@code null} for the configured order. */
    abstract int[] of(List<Key> keys, String model, Instant now);

    static WalkOrder of(PoolSettings.KeyOrder keyOrder) {
        return switch (keyOrder) {
            case HEADROOM -> new Headroom();
            case ROUND_ROBIN -> new RoundRobin();
            case PRIORITY -> new Priority();
        };
    }

    /** The configured order: no array, no cost. */
    private static final class Priority extends WalkOrder {
        @Override
        int[] of(List<Key> keys, String model, Instant now) {
            return null;
        }
    }

    /** Each walk starts one key further than the walk before, wrapping around. */
    private static final class RoundRobin extends WalkOrder {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        int[] of(List<Key> keys, String model, Instant now) {
            int size = keys.size();
            int start = Math.floorMod(next.getAndIncrement(), size);
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = (start + i) % size;
            }
            return order;
        }
    }

    /**
     * The largest known share of the request limit left for the model first; a key the provider
     * said nothing of, or whose limit has refilled since, counts as full; ties by position.
     */
    private static final class Headroom extends WalkOrder {
        @Override
        int[] of(List<Key> keys, String model, Instant now) {
            int size = keys.size();
            double[] share = new double[size];
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
                share[i] = share(keys.get(i).limits(model), now);
            }
            java.util.Arrays.sort(order, (a, b) -> {
                int byShare = Double.compare(share[b], share[a]);
                return byShare != 0 ? byShare : Integer.compare(a, b);
            });
            int[] result = new int[size];
            for (int i = 0; i < size; i++) {
                result[i] = order[i];
            }
            return result;
        }

        private static double share(RateLimits limits, Instant now) {
            if (limits == null) {
                return 1.0;
            }
            boolean refilled = limits.window("requests").map(w -> w.reset() != null && !now.isBefore(w.reset()))
                    .orElse(false);
            OptionalDouble left = limits.requestShareLeft();
            return refilled || left.isEmpty() ? 1.0 : left.getAsDouble();
        }
    }
}
