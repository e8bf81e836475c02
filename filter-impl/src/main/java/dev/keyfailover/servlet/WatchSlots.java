package dev.keyfailover.servlet;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ObjIntConsumer;

/**
 * The open watches of a {@link ClientWatchdog}, for its sweep: slots that a watch takes with one
 * compare-and-set and gives back with another. One request's hot path opens and closes two watches;
 * a concurrent set allocated a node and updated a shared size counter for each, which all request
 * threads contend for.
 *
 * <p>The slots come in segments that are never moved nor dropped: growing publishes a longer list
 * of the same segments plus new ones, so a watch's slot stays where it was taken, and a release
 * can never be lost to a copy. Capacity stays at its peak (a few bytes a slot).
 *
 * @param <T> the watch type
 */
final class WatchSlots<T> {

    private static final int SEGMENT_BITS = 6;
    private static final int SEGMENT_SIZE = 1 << SEGMENT_BITS;
    private static final int SEGMENT_MASK = SEGMENT_SIZE - 1;
    /** Slots in a row tried from one start. */
    private static final int PROBES = 8;
    /** Random starts tried when the thread's own is busy, before the slots grow: they grow when nearly full. */
    private static final int ELSEWHERE = 4;

    private volatile AtomicReferenceArray<T>[] segments;

    /** @param initialSegments segments of {@value #SEGMENT_SIZE} slots to start with: a power of two */
    WatchSlots(int initialSegments) {
        if (Integer.bitCount(initialSegments) != 1) {
            throw new IllegalArgumentException("initialSegments must be a power of two: " + initialSegments);
        }
        segments = newSegments(new AtomicReferenceArray[0], initialSegments);
    }

    /**
     * Takes a free slot for {@code watch}.
     *
     * @return the slot, for {@link #release}
     */
    int claim(T watch) {
        // Where a thread starts looking: spread by its id, so that concurrent requests rarely probe the same slots.
        long spread = Thread.currentThread().getId() * 0x9E3779B97F4A7C15L;
        while (true) {
            AtomicReferenceArray<T>[] current = segments;
            // The capacity is a power of two: segments start at a power of two and double.
            int mask = current.length * SEGMENT_SIZE - 1;
            int slot = claim(current, (int) (spread >>> 32) & mask, mask, watch);
            // Busy near this thread's start (it holds many watches, or its neighbours do): look elsewhere before growing.
            for (int look = 0; slot < 0 && look < ELSEWHERE; look++) {
                slot = claim(current, ThreadLocalRandom.current().nextInt() & mask, mask, watch);
            }
            if (slot >= 0) {
                return slot;
            }
            grow(current);
        }
    }

    /** The first free slot of {@value #PROBES} from {@code start} taken for {@code watch}; -1 when all are busy. */
    private static <T> int claim(AtomicReferenceArray<T>[] current, int start, int mask, T watch) {
        for (int probe = 0; probe < PROBES; probe++) {
            int slot = (start + probe) & mask;
            AtomicReferenceArray<T> segment = current[slot >>> SEGMENT_BITS];
            if (segment.get(slot & SEGMENT_MASK) == null && segment.compareAndSet(slot & SEGMENT_MASK, null, watch)) {
                return slot;
            }
        }
        return -1;
    }

    /** Frees the slot if {@code watch} still holds it; a second release of the same watch does nothing. */
    void release(int slot, T watch) {
        segments[slot >>> SEGMENT_BITS].compareAndSet(slot & SEGMENT_MASK, watch, null);
    }

    /**
     * Calls {@code action} with each watch in a slot and its slot. A watch claimed or released
     * during the walk may be seen or not.
     */
    void forEach(ObjIntConsumer<T> action) {
        AtomicReferenceArray<T>[] current = segments;
        for (int s = 0; s < current.length; s++) {
            AtomicReferenceArray<T> segment = current[s];
            for (int i = 0; i < SEGMENT_SIZE; i++) {
                T watch = segment.get(i);
                if (watch != null) {
                    action.accept(watch, (s << SEGMENT_BITS) | i);
                }
            }
        }
    }

    /** Slots held now (tests). */
    int size() {
        int[] held = {0};
        forEach((watch, slot) -> held[0]++);
        return held[0];
    }

    /** Slots in all (tests). */
    int capacity() {
        return segments.length * SEGMENT_SIZE;
    }

    private synchronized void grow(AtomicReferenceArray<T>[] seen) {
        if (segments == seen) {
            segments = newSegments(seen, seen.length * 2);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> AtomicReferenceArray<T>[] newSegments(AtomicReferenceArray<T>[] kept, int count) {
        AtomicReferenceArray<T>[] longer = Arrays.copyOf(kept, count);
        for (int s = kept.length; s < count; s++) {
            longer[s] = new AtomicReferenceArray<>(SEGMENT_SIZE);
        }
        return longer;
    }
}
