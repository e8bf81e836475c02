package dev.keyfailover.chain;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.api.RetryHints;
import dev.keyfailover.settings.FallbackSettings;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Fallback routes (behaviour.md §18), in the chain of a route that names some: a pool request
 * this route cannot serve (its pool ran dry, a transient failure outlived its retries, a timeout,
 * an answer {@code fallbackOn} names) goes to each fallback route in turn, through that route's
 * own client (its pool, retries and dump), with its model renamed as the fallback says. The
 * breaker of each (route, model) skips this route while it keeps failing. A BYOK request, and a
 * request that is itself another route's fallback, pass through. When no route serves, the client
 * gets this route's own answer, with the soonest {@code Retry-After} of all routes tried.
 */
final class FallbackExec implements ExecChainHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FallbackExec.class);

    private final Provider provider;
    private final FallbackSettings settings;
    private final FallbackTargets targets;
    private final Set<Integer> transientStatuses;
    private final Breakers breakers;
    private final java.time.Clock clock;
    private final FailoverEvents events;
    /** Per request, so throttled: by the fallback route's name and why it was skipped. */
    private final LogThrottles skipped;
    /** By the fallback route's name and the exception's class. */
    private final LogThrottles failed;

    /** @param lines the route's throttled lines (a fallback route skipped or failing) */
    FallbackExec(Provider provider, FallbackPlan plan, java.time.Clock clock, ThrottledLines lines,
                 FailoverEvents events) {
        this.provider = provider;
        this.settings = plan.settings();
        this.targets = plan.targets();
        this.transientStatuses = plan.transientStatuses();
        this.breakers = new Breakers(settings.breakerThreshold(), settings.breakerCooldown(), clock);
        this.clock = clock;
        this.events = FailoverEvents.both(new FailoverLog(provider.name()), events);
        this.skipped = lines.throttles(clock, LOG, Level.WARN, provider.name(), "fallback route ");
        this.failed = lines.throttles(clock, LOG, Level.WARN, provider.name(), "fallback route ");
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = Exchange.of(scope.clientContext);
        if (!exchange.pooled() || exchange.servingAsFallback()) {
            return chain.proceed(request, scope);
        }
        String model = exchange.model(request, provider.modelSource());
        Breakers.Pass pass = breakers.pass(model);
        if (pass == Breakers.Pass.OPEN) {
            ClassicHttpResponse served = fallBack(request, scope.clientContext, exchange, model,
                    FallbackReason.BREAKER_OPEN, null);
            // No fallback could serve either: the route is the last resort, open breaker or not.
            return served != null ? served : chain.proceed(request, scope);
        }
        boolean judged = false;
        try {
            ClassicHttpResponse answer;
            try {
                answer = chain.proceed(request, scope);
            } catch (IOException e) {
                TransportFailure failure = TransportFailure.of(e);
                if (failure == TransportFailure.OTHER) {
                    throw e;
                }
                judged = true;
                failed(model);
                ClassicHttpResponse served = fallBack(request, scope.clientContext, exchange, model,
                        failure == TransportFailure.TIMEOUT ? FallbackReason.TIMEOUT : FallbackReason.TRANSIENT, null);
                if (served != null) {
                    return served;
                }
                throw e;
            }
            FallbackReason reason = reasonOf(answer, exchange);
            judged = count(model, reason, exchange);
            if (reason == null) {
                return answer;
            }
            ClassicHttpResponse own = FailedAttempts.detach(answer, scope.execRuntime);
            if (own == null) {
                own = ProxyResponses.failure(provider, ProxyFailure.BAD_GATEWAY, "upstream answered "
                        + answer.getCode() + " with an answer too large to relay after its fallback failed");
            }
            ClassicHttpResponse served = fallBack(request, scope.clientContext, exchange, model, reason, own);
            return served != null ? served : own;
        } finally {
            if (!judged && pass == Breakers.Pass.PROBE) {
                // Cancelled, or it said nothing of the provider (see count): another may probe.
                breakers.abandoned(model);
            }
        }
    }

    /**
     * Counts a request the route answered in its (route, model) breaker (behaviour.md §18): a
     * transient failure fails it, anything else is a success but the budget's 504, a failure when
     * the budget ran out waiting on the provider (one silent past every budget must open it),
     * nothing when it ran out waiting for a key or a pooled connection; and a pool dry before any
     * attempt says nothing of the provider either.
     *
     * @return whether the breaker was told; if not, a probe is given back
     */
    private boolean count(String model, FallbackReason reason, Exchange exchange) {
        RequestBudget.Cut cut = RequestBudget.cutOf(exchange);
        if (cut != null) {
            return switch (cut) {
                case PROVIDER -> {
                    failed(model);
                    yield true;
                }
                case POOL -> false;
            };
        }
        if (reason == FallbackReason.EXHAUSTED && exchange.attempts() == 0) {
            return false;
        }
        if (reason == FallbackReason.TRANSIENT) {
            failed(model);
        } else if (breakers.succeeded(model)) {
            events.breaker(model, false);
        }
        return true;
    }

    private void failed(String model) {
        if (breakers.failed(model)) {
            events.breaker(model, true);
        }
    }

    /** Why this answer sends the request to a fallback; {@code null} when it goes to the client. */
    private FallbackReason reasonOf(ClassicHttpResponse answer, Exchange exchange) throws IOException {
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

    /**
     * Each fallback route in turn, until one serves: its answer, or {@code null} when none did.
     *
     * @param first this route's context (what the client sent, noted there, goes to the fallback's)
     * @param own this route's own answer, to which the soonest {@code Retry-After} of the routes
     *     tried is given when none serves; {@code null} when this route gave none
     */
    private ClassicHttpResponse fallBack(ClassicHttpRequest request, HttpContext first, Exchange exchange,
                                         String model, FallbackReason reason, ClassicHttpResponse own)
            throws HttpException {
        Duration soonest = own == null ? null : RetryHints.advisedWait(own, clock.instant()).orElse(null);
        for (String name : settings.routes()) {
            Optional<FallbackTarget> target = targets.find(name);
            if (target.isEmpty()) {
                long leftOut = skipped.occurred("'" + name + "' is not running; skipped");
                if (leftOut != LogThrottle.COUNTED) {
                    LOG.warn("{}: fallback route '{}' is not running; skipped{}", provider.name(), name,
                            LogThrottle.summary(leftOut));
                }
                continue;
            }
            String renamed = target.get().settings().renamed(model);
            ClassicHttpRequest sent = ModelRename.forTarget(request, exchange, target.get(), model, renamed);
            if (sent == null) {
                long leftOut = skipped.occurred("'" + name + "': the model lies too deep to rename; skipped");
                if (leftOut != LogThrottle.COUNTED) {
                    LOG.warn("{}: the model of this request lies too deep in its body to rename for fallback route "
                            + "'{}'; skipped{}", provider.name(), name, LogThrottle.summary(leftOut));
                }
                continue;
            }
            events.fallback(name, reason);
            HttpClientContext context = HttpClientContext.create();
            Exchange fallback = FallbackHandOver.start(exchange, context);
            // The request carries what the Java agent set as the first route's client began (§17): not the client's.
            ClientTraceHeaders.carry(first, context);
            ClassicHttpResponse answer;
            try {
                answer = target.get().client().executeOpen(null, sent, context);
            } catch (IOException e) {
                FallbackHandOver.countAttempts(exchange, fallback);
                long leftOut = failed.occurred("'" + name + "' failed: " + e.getClass().getName());
                if (leftOut != LogThrottle.COUNTED) {
                    LOG.warn("{}: fallback route '{}' failed: {}{}", provider.name(), name, e.toString(),
                            LogThrottle.summary(leftOut));
                }
                continue;
            }
            FallbackHandOver.countAttempts(exchange, fallback);
            FallbackReason again;
            try {
                again = reasonOf(answer, fallback);
            } catch (IOException e) {
                FailedAttempts.release(answer, null);
                continue;
            }
            if (again == null) {
                FallbackHandOver.served(exchange, fallback,
                        renamed != null && !renamed.equals(model) ? renamed : null);
                return answer;
            }
            ClassicHttpResponse refused = FailedAttempts.detach(answer, null);
            Duration wait = refused == null ? null : RetryHints.advisedWait(refused, clock.instant()).orElse(null);
            if (wait != null && soonest != null && wait.compareTo(soonest) < 0) {
                soonest = wait;
            }
        }
        if (own != null && soonest != null && own.containsHeader("Retry-After")) {
            own.setHeader("Retry-After", Long.toString(soonest.toSeconds() + (soonest.toMillisPart() > 0 ? 1 : 0)));
        }
        return null;
    }
}
