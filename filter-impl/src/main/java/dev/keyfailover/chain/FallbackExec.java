package dev.keyfailover.chain;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.settings.FallbackSettings;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.protocol.HttpContext;

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

    private final Provider provider;
    /** A provider that throws rendering an answer: logged, throttled (§8). */
    private final ProviderFaults faults;
    private final FallbackSettings settings;
    private final FallbackTargets targets;
    private final FallbackTriggers triggers;
    private final Breakers breakers;
    private final Clock clock;
    private final FailoverEvents events;
    /** A fallback route skipped or failing: per request, so throttled. */
    private final FallbackWarnings warnings;

    /** @param lines the route's throttled lines (a fallback route skipped or failing) */
    FallbackExec(Provider provider, FallbackPlan plan, Clock clock, ThrottledLines lines,
                 FailoverEvents events) {
        this.provider = provider;
        this.faults = lines.providerFaults(clock, provider.name());
        this.settings = plan.settings();
        this.targets = plan.targets();
        this.triggers = new FallbackTriggers(settings, plan.transientStatuses());
        this.breakers = new Breakers(settings.breakerThreshold(), settings.breakerCooldown(), clock);
        this.clock = clock;
        this.events = FailoverEvents.both(new FailoverLog(provider.name()), events);
        this.warnings = new FallbackWarnings(provider.name(), clock, lines);
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
            FallbackReason reason = triggers.reasonOf(answer, exchange);
            judged = count(model, reason, exchange);
            if (reason == null) {
                return answer;
            }
            ClassicHttpResponse own = FailedAttempts.detach(answer, scope.execRuntime);
            if (own == null) {
                own = ProxyResponses.failure(provider, faults, ProxyFailure.BAD_GATEWAY, "upstream answered "
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
        SoonestRetryAfter soonest = new SoonestRetryAfter(own, clock);
        for (String name : settings.routes()) {
            Optional<FallbackTarget> target = targets.find(name);
            if (target.isEmpty()) {
                warnings.notRunning(name);
                continue;
            }
            String renamed = target.get().settings().renamed(model);
            ClassicHttpRequest sent = ModelRename.forTarget(request, exchange, target.get(), model, renamed,
                    FallbackHandOver.asksUsage(first));
            if (sent == null) {
                warnings.tooDeepToRename(name);
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
                warnings.failed(name, e);
                continue;
            }
            FallbackHandOver.countAttempts(exchange, fallback);
            FallbackReason again;
            try {
                again = triggers.reasonOf(answer, fallback);
            } catch (IOException e) {
                FailedAttempts.release(answer, null);
                continue;
            }
            if (again == null) {
                FallbackHandOver.served(exchange, fallback, renamed != null && !renamed.equals(model) ? renamed : null);
                FallbackHandOver.servedUsage(first, context);
                return answer;
            }
            soonest.refused(FailedAttempts.detach(answer, null));
        }
        soonest.applyTo(own);
        return null;
    }
}
