package dev.keyfailover.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The fake upstream's counters, which the harness reads ({@code /__stats}) and zeroes ({@code /__reset}). */
final class UpstreamCounters {

    final AtomicLong ok = new AtomicLong();
    final AtomicLong rateLimited = new AtomicLong();
    final AtomicLong unauthorized = new AtomicLong();
    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong streamsStarted = new AtomicLong();
    final AtomicLong streamsCompleted = new AtomicLong();
    final AtomicLong streamsBroken = new AtomicLong();
    final AtomicInteger streamsOpen = new AtomicInteger();
    final AtomicInteger streamsMaxOpen = new AtomicInteger();

    /** A stream begins: counted, and the peak of open streams raised if need be. */
    void streamOpened() {
        streamsStarted.incrementAndGet();
        int open = streamsOpen.incrementAndGet();
        streamsMaxOpen.accumulateAndGet(open, Math::max);
    }

    void streamClosed(boolean clean) {
        streamsOpen.decrementAndGet();
        if (clean) {
            streamsCompleted.incrementAndGet();
        } else {
            streamsBroken.incrementAndGet();
        }
    }

    /** The {@code /__stats} body; {@code faults} is scenario 9's window ({@link Faults#json()}). */
    byte[] json(String faults) {
        return ("{\"ok\":" + ok.get() + ",\"rateLimited\":" + rateLimited.get() + ",\"unauthorized\":"
                + unauthorized.get() + ",\"bytesIn\":" + bytesIn.get() + ",\"streamsStarted\":" + streamsStarted.get()
                + ",\"streamsCompleted\":" + streamsCompleted.get() + ",\"streamsBroken\":" + streamsBroken.get()
                + ",\"streamsOpen\":" + streamsOpen.get() + ",\"streamsMaxOpen\":" + streamsMaxOpen.get()
                + ",\"faults\":" + faults + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Zeroes all but the open streams, which are still open; their peak starts again from them. */
    void reset() {
        ok.set(0);
        rateLimited.set(0);
        unauthorized.set(0);
        bytesIn.set(0);
        streamsStarted.set(0);
        streamsCompleted.set(0);
        streamsBroken.set(0);
        streamsMaxOpen.set(streamsOpen.get());
    }
}
