package dev.keyfailover.chain;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyId;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyWalk;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * The upstream attempts of an exchange, and the one place each is reported from. A pool request
 * (behaviour.md §2 to §6) walks the pool with one {@code chain.proceed} per attempt, each on a copy
 * of the request carrying that attempt's key; {@link FailoverStrategy} says what each answer means
 * and what comes when no key is left, this handler does the I/O: reads an error body's start,
 * marks the key, releases or keeps answers, waits. A transport failure is thrown as it is, without
 * failover. A request the pool does not serve (BYOK, a route without a pool) is sent once,
 * untouched.
 */
final class KeyFailoverExec implements ExecChainHandler {

    private final Provider provider;
    private final KeyPool pool;
    private final FailoverStrategy strategy;
    private final Clock clock;
    private final FailoverEvents events;

    /** @param pool the route's pool; {@code null} for a route without one */
    KeyFailoverExec(Provider provider, KeyPool pool, Clock clock, FailoverEvents events) {
        this.provider = provider;
        this.pool = pool;
        this.strategy = new FailoverStrategy(provider, pool == null ? Duration.ZERO
                : pool.settings().maxWaitForKey());
        this.clock = clock;
        this.events = FailoverEvents.both(new FailoverLog(provider.name()), events);
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = Exchange.of(scope.clientContext);
        exchange.route(provider.name());
        if (!exchange.pooled()) {
            return sendOnce(request, scope, chain, exchange);
        }
        String model = exchange.model(request, provider.modelSource());
        try (PoolAttempts attempts = new PoolAttempts(pool, model, clock.instant())) {
            while (true) {
                Key key = attempts.walk().next();
                ClassicHttpResponse answer = key != null
                        ? attempt(request, key, scope, chain, exchange, attempts)
                        : noKeyLeft(exchange, attempts);
                if (answer != null) {
                    return answer;
                }
            }
        }
    }

    /** One attempt with a pool key: the answer when it goes to the client, else {@code null} (the walk goes on). */
    private ClassicHttpResponse attempt(ClassicHttpRequest request, Key key, ExecChain.Scope scope, ExecChain chain,
                                        Exchange exchange, PoolAttempts attempts) throws IOException, HttpException {
        KeyWalk walk = attempts.walk();
        exchange.nextAttempt();
        ClassicHttpResponse answer = null;
        String errorBody;
        try {
            ClassicHttpRequest keyed = ClassicRequestBuilder.copy(request).build();
            key.putOn(keyed, provider);
            answer = chain.proceed(keyed, Scopes.of(scope, keyed));
            errorBody = strategy.readsErrorBody(answer) ? ErrorBodies.peek(answer) : null;
        } catch (IOException | HttpException | RuntimeException e) {
            walk.recordTransportFailure(key);
            report(exchange, key.id(), -1, null, false, false);
            if (answer != null) {
                answer.close();
            }
            throw e;
        }
        Instant now = clock.instant();
        KeyVerdict verdict = strategy.judge(answer, errorBody, now);
        boolean probe = walk.isProbe(key);
        boolean transition = walk.record(key, answer.getCode(), verdict);
        report(exchange, key.id(), answer.getCode(), verdict, transition, probe);
        if (walk.observe(key, provider.rateLimits(answer, now))) {
            events.limitUsedUp(key.id(), walk.model());
        }
        return switch (FailoverStrategy.use(verdict)) {
            case DELIVER -> {
                exchange.servedBy(key.hint());
                yield answer;
            }
            case KEEP_AS_REFUSAL -> {
                ClassicHttpResponse refusal = FailedAttempts.detach(answer, scope.execRuntime);
                attempts.refusal(refusal != null ? refusal : ProxyResponses.failure(provider, ProxyFailure.BAD_GATEWAY,
                        "upstream refused this request (" + answer.getCode() + ") with an answer too large to relay"));
                yield null;
            }
            case DISCARD -> {
                FailedAttempts.release(answer, scope.execRuntime);
                yield null;
            }
        };
    }

    /** The walk ran dry: the answer the strategy chooses, or {@code null} after waiting for a key (walk again). */
    private ClassicHttpResponse noKeyLeft(Exchange exchange, PoolAttempts attempts) throws InterruptedIOException {
        FailoverStep step = strategy.whenNoKeyLeft(PoolView.of(attempts.walk(), pool), attempts.rounds(),
                attempts.startedAt(), attempts.refusal() != null, clock.instant());
        return switch (step.kind()) {
            case WAIT -> {
                pause(step);
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
                yield ProxyResponses.exhausted(provider, step.exhaustion());
            }
        };
    }

    /** The one attempt of a request the pool does not serve: sent as it is, judged by nothing. */
    private ClassicHttpResponse sendOnce(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain,
                                         Exchange exchange) throws IOException, HttpException {
        exchange.nextAttempt();
        ClassicHttpResponse answer;
        try {
            answer = chain.proceed(request, scope);
        } catch (IOException | HttpException | RuntimeException e) {
            report(exchange, null, -1, null, false, false);
            throw e;
        }
        report(exchange, null, answer.getCode(), null, false, false);
        return answer;
    }

    private void report(Exchange exchange, KeyId key, int status, KeyVerdict verdict, boolean transition,
                        boolean probe) {
        events.attempt(new AttemptReport(key, status, verdict, transition, probe, exchange.upstreamNanos()));
    }

    private void pause(FailoverStep wait) throws InterruptedIOException {
        try {
            pool.pause(wait.delay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a key of " + provider.name());
        }
    }
}
