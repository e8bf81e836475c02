package dev.keyfailover.chain;

import java.io.InterruptedIOException;
import java.time.Clock;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.settings.RetrySettings;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * What a pool request gets when no upstream answer goes to the client: the walk ran dry (wait for
 * a key and walk again, relay a key's refusal, or the pool's exhaustion: behaviour.md §3, §4) or the
 * request's budget ran out (the proxy's 504, §18). {@link FailoverStrategy} chooses; this does it:
 * waits, says in the {@link Exchange} that the answer is the proxy's own, and reports it. These are
 * what an outage repeats per request, so their lines go through the route's throttles
 * ({@link OutageLog}). Off the path of a request a key serves.
 */
final class OwnAnswers {

    private final Provider provider;
    /** A provider that throws rendering an answer: logged, throttled (§8). */
    private final ProviderFaults faults;
    private final KeyPool pool;
    private final FailoverStrategy strategy;
    private final RetrySettings retries;
    private final Clock clock;
    private final FailoverEvents events;

    /**
     * @param lines the route's throttled lines (no key left, requestBudget ran out)
     * @param events the route's listeners, told of every exhaustion, relayed refusal and spent budget
     */
    OwnAnswers(Provider provider, KeyPool pool, FailoverStrategy strategy, RetrySettings retries, Clock clock,
               ThrottledLines lines, FailoverEvents events) {
        this.provider = provider;
        this.faults = lines.providerFaults(clock, provider.name());
        this.pool = pool;
        this.strategy = strategy;
        this.retries = retries;
        this.clock = clock;
        this.events = FailoverEvents.both(new OutageLog(provider.name(), clock, lines), events);
    }

    /**
     * The request's budget ran out before its answer started: the proxy's 504.
     *
     * @param waitingFor what it ran out waiting for: the breaker counts the 504 by it (§18)
     */
    ClassicHttpResponse outOfBudget(Exchange exchange, RequestBudget.Cut waitingFor) {
        events.budgetSpent(exchange.attempts());
        exchange.budget().ranOut(waitingFor);
        exchange.retriesSpent(retries.retries() > 0);
        exchange.origin(Exchange.Origin.PROXY);
        return ProxyResponses.failure(provider, faults, ProxyFailure.GATEWAY_TIMEOUT, provider.name() + ": no answer within"
                + " the request's budget (requestBudget) after " + exchange.attempts() + " attempt(s)");
    }

    /** The walk ran dry: the answer the strategy chooses, or {@code null} after waiting for a key (walk again). */
    ClassicHttpResponse noKeyLeft(Exchange exchange, PoolAttempts attempts) throws InterruptedIOException {
        FailoverStep step = strategy.whenNoKeyLeft(PoolView.of(attempts.walk(), pool), attempts.rounds(),
                attempts.startedAt(), attempts.deadline(), attempts.refusal() != null, clock.instant());
        return switch (step.kind()) {
            case WAIT -> {
                attempts.pause(step.delay(), provider.name());
                attempts.walkAgain();
                yield null;
            }
            case RELAY_REFUSAL -> {
                events.refusalRelayed(exchange.attempts());
                exchange.origin(Exchange.Origin.EXHAUSTION);
                yield attempts.refusal();
            }
            case ANSWER_EXHAUSTION -> {
                events.exhausted(step.exhaustion(), exchange.attempts());
                exchange.origin(Exchange.Origin.EXHAUSTION);
                yield ProxyResponses.exhausted(provider, faults, step.exhaustion());
            }
        };
    }
}
