package dev.keyfailover.chain;

import java.time.Duration;

import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * A request passed on to a fallback route (behaviour.md §18), as two exchanges: the request's, and
 * the fallback route's, which starts with what the request's knows of it (where the client sent it,
 * the deadline of its budget) and falls back no further. The fallback's attempts count as the
 * request's; when the fallback serves, its key, route and origin, and whether its retries were
 * spent, are the request's, with the model it was renamed to, and a usage chunk either route asked
 * for stays out of the client's stream. Off the path of a request its own
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

    /**
     * Whether the request's own route asked an OpenAI stream for its usage (behaviour.md §16): a
     * fallback route's request must ask too, or the usage the client's budget counts is lost.
     */
    static boolean asksUsage(HttpContext request) {
        return RequestUsage.of(request).injected();
    }

    /**
     * The fallback route served: a usage chunk it asked for is no more the client's than one the
     * request's route asked for (behaviour.md §16), so the client's copy drops it.
     */
    static void servedUsage(HttpContext request, HttpContext fallback) {
        if (RequestUsage.of(fallback).injected()) {
            RequestUsage.of(request).inject();
        }
    }
}
