package dev.keyfailover.chain;

import java.io.IOException;
import java.io.InterruptedIOException;

import dev.keyfailover.api.FailoverRules;
import dev.keyfailover.api.Provider;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyPool;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * Key failover (behaviour.md §2 to §6): walks the pool with one {@code chain.proceed} per attempt,
 * each on a copy of the request carrying that attempt's key; {@link FailoverDecision} says what
 * comes after each answer. A transport failure is thrown as it is, without failover. A BYOK
 * request passes through untouched. Only in the chain of a route that has a pool.
 */
final class KeyFailoverExec implements ExecChainHandler {

    private final Provider provider;
    private final KeyPool pool;
    private final FailoverDecision decision;
    private final HeaderPolicy headers;

    KeyFailoverExec(Provider provider, KeyPool pool, FailoverDecision decision, HeaderPolicy headers) {
        this.provider = provider;
        this.pool = pool;
        this.decision = decision;
        this.headers = headers;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = Exchange.of(scope.clientContext);
        if (exchange.byok()) {
            return chain.proceed(request, scope);
        }
        try (PoolAttempts attempts = new PoolAttempts(pool, RequestModel.of(request, exchange.body()), exchange)) {
            FailoverStep step = decision.first(attempts);
            while (true) {
                if (step instanceof FailoverStep.TryKey tryKey) {
                    Key key = tryKey.key();
                    exchange.attempt(attempts.nextAttempt());
                    ClassicHttpResponse answer = send(request, key, scope, chain, attempts);
                    String errorBody = FailoverRules.readsErrorBody(answer.getCode()) ? peek(answer, key, attempts)
                            : null;
                    step = decision.followUp(attempts, key, answer, errorBody, scope.execRuntime);
                } else if (step instanceof FailoverStep.Wait wait) {
                    pause(wait);
                    attempts.walkAgain();
                    step = decision.first(attempts);
                } else {
                    FailoverStep.Answer answer = (FailoverStep.Answer) step;
                    if (answer.servedBy() == null) {
                        exchange.origin(Exchange.Origin.EXHAUSTION);
                    }
                    headers.addPoolHeaders(answer.response(), attempts.attempts(), answer.servedBy());
                    return answer.response();
                }
            }
        }
    }

    /** The start of an error answer's body; a failure to read it is a transport failure, as any other. */
    private String peek(ClassicHttpResponse answer, Key key, PoolAttempts attempts) throws IOException {
        try {
            return ErrorBodies.peek(answer);
        } catch (IOException | RuntimeException e) {
            decision.transportFailed(attempts, key);
            answer.close();
            throw e;
        }
    }

    /** One attempt: a copy of the request with the key on it, as the original of the inner elements too. */
    private ClassicHttpResponse send(ClassicHttpRequest request, Key key, ExecChain.Scope scope, ExecChain chain,
                                     PoolAttempts attempts) throws IOException, HttpException {
        ClassicHttpRequest keyed = ClassicRequestBuilder.copy(request).build();
        provider.applyKey(keyed, key.secret());
        try {
            return chain.proceed(keyed, Scopes.of(scope, keyed));
        } catch (IOException | HttpException | RuntimeException e) {
            decision.transportFailed(attempts, key);
            throw e;
        }
    }

    private void pause(FailoverStep.Wait wait) throws InterruptedIOException {
        try {
            pool.pause(wait.duration());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a key of " + provider.name());
        }
    }
}
