package dev.keyfailover.chain;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.api.RateLimits;
import dev.keyfailover.api.RetryHints;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyWalk;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * The upstream attempts of an exchange, and the one place each is reported from. A pool request
 * (behaviour.md §2 to §6) walks the pool with one {@code chain.proceed} per attempt, each on a copy
 * of the request carrying that attempt's key; {@link FailoverStrategy} says what each answer means
 * and what comes when no key is left, this handler does the I/O: reads an error body's start,
 * marks the key, releases or keeps answers, waits. A transient failure (a transient status, a
 * connection refused or reset, no head: behaviour.md §18) is retried with the next usable key as
 * {@link RetryStrategy} says, within the request's budget; other transport failures are thrown as
 * they are. When no upstream answer goes to the client (no key left, the budget ran out), the answer
 * is {@link OwnAnswers}'. A request the pool does not serve (BYOK, a route without a pool) is sent
 * once, untouched.
 */
final class KeyFailoverExec implements ExecChainHandler {

    private final Provider provider;
    /** A provider that throws rendering an answer: logged, throttled (§8). */
    private final ProviderFaults faults;
    private final KeyPool pool;
    private final FailoverStrategy strategy;
    private final RetryStrategy retries;
    private final Clock clock;
    private final FailoverEvents events;
    private final OwnKeys ownKeys;
    private final OwnAnswers ownAnswers;

    /**
     * @param pool the route's pool; {@code null} for a route without one
     * @param lines the route's throttled lines (no key left, requestBudget ran out: {@link OutageLog})
     * @param events the route's listeners, told of every attempt (and the log's, {@link FailoverLog})
     */
    KeyFailoverExec(Provider provider, KeyPool pool, AttemptBounds bounds, Clock clock, ThrottledLines lines,
                    FailoverEvents events) {
        this.provider = provider;
        this.faults = lines.providerFaults(clock, provider.name());
        this.pool = pool;
        this.strategy = new FailoverStrategy(provider, pool == null ? Duration.ZERO
                : pool.settings().maxWaitForKey());
        this.retries = new RetryStrategy(bounds.retries(), bounds.jitter());
        this.clock = clock;
        this.events = FailoverEvents.both(new FailoverLog(provider.name()), events);
        this.ownKeys = new OwnKeys(provider);
        this.ownAnswers = new OwnAnswers(provider, pool, strategy, bounds.retries(), clock, lines, events);
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
        Instant start = clock.instant();
        retries.settings().requestBudget().ifPresent(budget -> exchange.startBudget(start, budget));
        try (PoolAttempts attempts = new PoolAttempts(pool, model, start, exchange.deadline())) {
            while (true) {
                if (scope.execRuntime.isExecutionAborted()) {
                    // The client went away (during a wait, say): nothing is retried for it.
                    throw new InterruptedIOException(provider.name() + ": exchange cancelled");
                }
                if (RetryStrategy.outOfBudget(attempts.deadline(), clock.instant())) {
                    // Between attempts: spent on the provider once it failed this request transiently
                    // (the retry's wait), else on the pool (a wait for a key, a key's refusal).
                    return ownAnswers.outOfBudget(exchange, attempts.retries() > 0
                            ? RequestBudget.Cut.PROVIDER : RequestBudget.Cut.POOL);
                }
                Key key = attempts.nextKey();
                ClassicHttpResponse answer = key != null
                        ? attempt(request, key, scope, chain, exchange, attempts)
                        : ownAnswers.noKeyLeft(exchange, attempts);
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
        ClassicHttpResponse answer;
        AttemptDeadline deadline = AttemptDeadline.of(attempts.deadline(), clock, scope.clientContext);
        try {
            ClassicHttpRequest keyed = RequestCopy.of(request);
            key.putOn(keyed, provider);
            answer = deadline.proceed(chain, keyed, Scopes.of(scope, keyed));
        } catch (IOException | HttpException | RuntimeException e) {
            walk.recordTransportFailure(key);
            TransportFailure failure = TransportFailure.of(e);
            report(scope, AttemptReport.failed(key.id(), failure, exchange.upstreamNanos()));
            RequestBudget.Cut cut = deadline.cut(e);
            if (cut != null) {
                // The budget, not the route, cut a wait (the pool's, the connect's or the head's): the
                // budget's answer, and no fallback (§18).
                return ownAnswers.outOfBudget(exchange, cut);
            }
            if (!RetryStrategy.isTransient(failure) || !(e instanceof IOException transientFailure)) {
                throw e;
            }
            return afterTransient(null, transientFailure, key, exchange, attempts, scope.execRuntime);
        }
        String errorBody;
        try {
            errorBody = strategy.readsErrorBody(answer) ? ErrorBodies.peek(answer) : null;
        } catch (IOException | RuntimeException e) {
            // The head came: what broke is the body, which is not retried.
            walk.recordTransportFailure(key);
            report(scope, AttemptReport.failed(key.id(), TransportFailure.of(e), exchange.upstreamNanos()));
            answer.close();
            throw e;
        }
        Instant now = clock.instant();
        KeyVerdict verdict = strategy.judge(answer, errorBody, now);
        boolean probe = walk.isProbe(key);
        boolean transition = walk.record(key, answer.getCode(), verdict);
        boolean transientStatus = retries.isTransient(answer.getCode(), verdict);
        report(scope, AttemptReport.answered(key.id(), answer.getCode(), verdict, transition, probe,
                exchange.upstreamNanos(), transientStatus));
        if (walk.observe(key, rateLimits(answer, now))) {
            events.limitUsedUp(key.id(), walk.model());
        }
        return switch (FailoverStrategy.use(verdict)) {
            case DELIVER -> transientStatus ? afterTransient(answer, null, key, exchange, attempts, scope.execRuntime)
                    : deliver(answer, key, exchange);
            case KEEP_AS_REFUSAL -> {
                ClassicHttpResponse refusal = FailedAttempts.detach(answer, scope.execRuntime);
                attempts.refusal(refusal != null ? refusal : ProxyResponses.failure(provider, faults, ProxyFailure.BAD_GATEWAY,
                        "upstream refused this request (" + answer.getCode() + ") with an answer too large to relay"));
                yield null;
            }
            case DISCARD -> {
                FailedAttempts.release(answer, scope.execRuntime);
                yield null;
            }
        };
    }

    private static ClassicHttpResponse deliver(ClassicHttpResponse answer, Key key, Exchange exchange) {
        exchange.servedBy(key.id());
        return answer;
    }

    /**
     * A transient failure (behaviour.md §18), an answer or a transport failure: retried after the
     * strategy's wait; else the answer passed on or the failure thrown (the servlet answers 502),
     * marked when the retries were spent.
     *
     * @param answer the transient answer, {@code null} for a transport failure
     */
    private ClassicHttpResponse afterTransient(ClassicHttpResponse answer, IOException failure, Key key,
                                               Exchange exchange, PoolAttempts attempts, ExecRuntime runtime)
            throws IOException {
        Instant now = clock.instant();
        RetryStep step = retries.afterTransientFailure(attempts.retries(),
                answer == null ? Optional.empty() : RetryHints.advisedWait(answer, now), attempts.deadline(), now);
        if (answer != null && step.kind() != RetryStep.Kind.GIVE_UP && step.kind() != RetryStep.Kind.PASS_ON) {
            FailedAttempts.release(answer, runtime);
        }
        exchange.retriesSpent(step.kind() == RetryStep.Kind.GIVE_UP);
        return switch (step.kind()) {
            case RETRY -> {
                events.retrying(exchange.attempts(), answer == null ? -1 : answer.getCode(), step.delay());
                attempts.pause(step.delay(), provider.name());
                attempts.retrying();
                yield null;
            }
            // The provider failed this request transiently and the retry's wait would pass the budget.
            case OUT_OF_BUDGET -> ownAnswers.outOfBudget(exchange, RequestBudget.Cut.PROVIDER);
            case GIVE_UP, PASS_ON -> {
                if (answer == null) {
                    throw failure;
                }
                yield deliver(answer, key, exchange);
            }
        };
    }

    /**
     * The one attempt of a request the pool does not serve: sent as it is (a BYOK credential moved
     * where its provider wants it), judged by nothing.
     */
    private ClassicHttpResponse sendOnce(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain,
                                         Exchange exchange) throws IOException, HttpException {
        exchange.nextAttempt();
        ClassicHttpRequest sent = ownKeys.toSend(request, exchange);
        ClassicHttpResponse answer;
        try {
            answer = chain.proceed(sent, sent == request ? scope : Scopes.of(scope, sent));
        } catch (IOException | HttpException | RuntimeException e) {
            report(scope, AttemptReport.failed(null, TransportFailure.of(e), exchange.upstreamNanos()));
            throw e;
        }
        report(scope, AttemptReport.answered(null, answer.getCode(), null, false, false, exchange.upstreamNanos(), false));
        return answer;
    }

    /** The one place attempts are reported from: to the events, and to the attempt's span (§17). */
    private void report(ExecChain.Scope scope, AttemptReport attempt) {
        events.attempt(attempt);
        RequestSpans.reported(scope.clientContext, attempt);
    }

    /** What the answer says is left of the key's limits; nothing known when the provider cannot read it (§10). */
    private RateLimits rateLimits(ClassicHttpResponse answer, Instant now) {
        try {
            return provider.rateLimits(answer, now);
        } catch (RuntimeException e) {
            // A provider of one's own that does not expect a header's value: ignored, never an error.
            faults.ignored("reading the rate-limit headers", e);
            return RateLimits.NONE;
        }
    }
}
