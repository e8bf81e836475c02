package dev.keyfailover.chain;

import java.time.Duration;

import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * A request passed on to a fallback route (behaviour.md §10), as two exchanges: the request's, and
 * the fallback route's, which starts with what the request's knows of it (where the client sent it,
 * the deadline of its budget) and falls back no further. The fallback's attempts count as the
 * request's; when the fallback serves, its key, route and origin, and whether its retries were
 * spent, are the request's, with the model it was renamed to. Off the path of a request its own
 * route serves.
 */
final class FallbackHandOver {

    private FallbackHandOver() {
    }

    /** A fresh exchange, in {@code context}, for a fallback route serving {@code request}'s request. */
    static Exchange start(Exchange request, HttpContext context) {
        Exchange fallback = Exchange.start(context, false);
        fallback.servingAsFallback(true);
        // Asked only when the fallback route's base URL is on this server, as the request's is.
        fallback.forwarded(request::serverOrigin, request.pathAndQuery());
        // The budget bounds the whole request, fallbacks included: the fallback's ends when the request's does.
        request.deadline().ifPresent(deadline -> fallback.startBudget(deadline, Duration.ZERO));
        return fallback;
    }

    /** The fallback route's attempts for this request count as the request's too. */
    static void countAttempts(Exchange request, Exchange fallback) {
        request.countAttempts(fallback.attempts());
    }

    /**
     * The fallback route served the request: its answer, key and route are the request's.
     *
     * @param renamed the model the fallback route asked its provider for, {@code null} when not renamed
     */
    static void served(Exchange request, Exchange fallback, String renamed) {
        request.servedBy(fallback.servedKey());
        request.route(fallback.route());
        request.origin(fallback.origin());
        request.retriesSpent(fallback.retriesSpent());
        request.renamedModel(renamed);
    }
}
