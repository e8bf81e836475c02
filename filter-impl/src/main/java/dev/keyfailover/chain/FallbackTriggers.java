package dev.keyfailover.chain;

import java.io.IOException;
import java.util.Set;

import dev.keyfailover.settings.FallbackSettings;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * Which answers send a pool request on to a fallback route (behaviour.md §18): the pool's
 * exhaustion, a transient status that outlived its retries, a status or error code
 * {@code fallbackOn} names. Reads at most the start of an error body (peeked, so the answer stays
 * whole for the client); decides nothing else.
 */
final class FallbackTriggers {

    private final FallbackSettings settings;
    private final Set<Integer> transientStatuses;

    FallbackTriggers(FallbackSettings settings, Set<Integer> transientStatuses) {
        this.settings = settings;
        this.transientStatuses = transientStatuses;
    }

    /** Why this answer sends the request to a fallback; {@code null} when it goes to the client. */
    FallbackReason reasonOf(ClassicHttpResponse answer, Exchange exchange) throws IOException {
        if (exchange.origin() == Exchange.Origin.EXHAUSTION) {
            return FallbackReason.EXHAUSTED;
        }
        if (exchange.origin() != Exchange.Origin.UPSTREAM) {
            return null;
        }
        int status = answer.getCode();
        if (transientStatuses.contains(status)) {
            return FallbackReason.TRANSIENT;
        }
        if (settings.onStatuses().contains(status)) {
            return FallbackReason.FALLBACK_ON;
        }
        if (status >= 400 && !settings.onCodes().isEmpty()) {
            for (String code : ErrorCodes.of(ErrorBodies.peek(answer))) {
                if (settings.onCodes().contains(code)) {
                    return FallbackReason.FALLBACK_ON;
                }
            }
        }
        return null;
    }
}
