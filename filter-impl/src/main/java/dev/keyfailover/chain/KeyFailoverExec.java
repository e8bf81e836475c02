package dev.keyfailover.chain;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Instant;

import dev.keyfailover.api.KeyPoolException;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyWalk;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key failover as an exec-chain element (SPEC sections 2 to 6): buffers the body once, then walks
 * the pool with one {@code chain.proceed} per attempt, each on a copy of the request carrying that
 * attempt's key. Failed attempts are released before the next one; a transport failure is thrown
 * as it is, without failover. BYOK requests and providers without a pool get a single attempt.
 */
final class KeyFailoverExec implements ExecChainHandler {

    private static final Logger LOG = LoggerFactory.getLogger(KeyFailoverExec.class);

    private final Provider provider;
    private final KeyPool pool;
    private final FailoverSettings settings;
    private final Clock clock;

    /** @param pool the provider's pool; {@code null} when it has none */
    KeyFailoverExec(Provider provider, KeyPool pool, FailoverSettings settings, Clock clock) {
        this.provider = provider;
        this.pool = pool;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        boolean byok = settings.byokAllowed() && provider.isByok(request);
        scope.clientContext.setAttribute(ExchangeAttributes.BYOK, byok);
        scope.clientContext.setAttribute(ExchangeAttributes.ATTEMPT, 1);
        if (byok) {
            return chain.proceed(request, scope);
        }
        if (pool == null) {
            ClassicHttpRequest stripped = withoutClientCredentials(request, request.getEntity());
            return chain.proceed(stripped, rescoped(scope, stripped));
        }
        ReplayableBody body;
        try {
            body = ReplayableBody.of(request.getEntity(), settings.bodyLimits());
        } catch (BodyTooLargeException e) {
            return ProxyResponses.failure(provider, ProxyFailure.REQUEST_TOO_LARGE, e.getMessage());
        }
        try (body) {
            return failover(request, body, scope, chain);
        }
    }

    private ClassicHttpResponse failover(ClassicHttpRequest request, ReplayableBody body, ExecChain.Scope scope,
                                         ExecChain chain) throws IOException, HttpException {
        Instant waitDeadline = pool.waitDeadline();
        ClassicHttpResponse refusal = null;
        int attempt = 0;
        // Each round is one walk; more than one only while waiting for a cooling key (maxWaitForKey).
        for (int round = 0; ; round++) {
            try (KeyWalk walk = pool.walk()) {
                for (Key key = walk.next(); key != null; key = walk.next()) {
                    attempt++;
                    ClassicHttpRequest keyed = withoutClientCredentials(request, body.entity());
                    provider.applyKey(keyed, key.secret());
                    scope.clientContext.setAttribute(ExchangeAttributes.ATTEMPT, attempt);
                    scope.clientContext.setAttribute(ExchangeAttributes.KEY_HINT, key.hint());

                    ClassicHttpResponse response = proceed(keyed, scope, chain, walk, key);
                    KeyVerdict verdict = provider.judge(response, clock.instant());
                    boolean probe = walk.isProbe(key);
                    boolean transition = walk.record(key, response.getCode(), verdict);
                    logOutcome(key, response.getCode(), verdict, transition, probe);
                    if (!verdict.failsOver()) {
                        return response;
                    }
                    if (verdict.action() == KeyVerdict.Action.SKIP) {
                        refusal = FailedAttempts.detach(response, scope.execRuntime);
                        if (refusal == null) {
                            refusal = ProxyResponses.failure(provider, ProxyFailure.BAD_GATEWAY, "upstream refused "
                                    + "this request (" + response.getCode() + ") with an answer too large to relay");
                        }
                    } else {
                        FailedAttempts.release(response, scope.execRuntime);
                    }
                }
                KeyPoolException exhausted = walk.exhausted();
                if (exhausted.kind() == KeyPoolException.Kind.AUTHENTICATION_FAILED && refusal != null) {
                    return refusal;
                }
                if (round < pool.keys().size() && awaitKey(exhausted, waitDeadline)) {
                    continue;
                }
                LOG.warn("{}: no key left after {} attempt(s): {} (retry after {} ms)", provider.name(), attempt,
                        exhausted.kind(), exhausted.retryAfter().toMillis());
                return ProxyResponses.exhausted(provider, exhausted);
            }
        }
    }

    private ClassicHttpResponse proceed(ClassicHttpRequest keyed, ExecChain.Scope scope, ExecChain chain,
                                        KeyWalk walk, Key key) throws IOException, HttpException {
        try {
            return chain.proceed(keyed, rescoped(scope, keyed));
        } catch (IOException | HttpException | RuntimeException e) {
            walk.recordTransportFailure(key);
            throw e;
        }
    }

    private boolean awaitKey(KeyPoolException exhausted, Instant deadline) throws InterruptedIOException {
        try {
            return pool.awaitKey(exhausted, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a key of " + provider.name());
        }
    }

    /** A copy of the client's request with the given body and no client credential on it. */
    private ClassicHttpRequest withoutClientCredentials(ClassicHttpRequest request,
                                                        org.apache.hc.core5.http.HttpEntity entity) {
        ClassicHttpRequest copy = ClassicRequestBuilder.copy(request).setEntity(entity).build();
        for (String header : provider.credentialHeaders()) {
            copy.removeHeaders(header);
        }
        return copy;
    }

    /** A scope whose original request is the attempt's copy, so inner elements never rebuild the unkeyed one. */
    private static ExecChain.Scope rescoped(ExecChain.Scope scope, ClassicHttpRequest request) {
        return new ExecChain.Scope(scope.exchangeId, scope.route, request, scope.execRuntime, scope.clientContext);
    }

    private void logOutcome(Key key, int status, KeyVerdict verdict, boolean transition, boolean probe) {
        switch (verdict.action()) {
            case COOL_DOWN:
                if (transition) {
                    LOG.warn("{}: key #{} {} rate-limited ({}), cooling down for {} ms", provider.name(), key.index(),
                            key.hint(), status, verdict.cooldown().toMillis());
                }
                break;
            case DISABLE:
                if (transition) {
                    LOG.warn("{}: key #{} {} disabled after {}", provider.name(), key.index(), key.hint(), status);
                } else if (probe) {
                    LOG.warn("{}: key #{} {} failed its re-check ({})", provider.name(), key.index(), key.hint(), status);
                }
                break;
            case ACCEPT:
                if (transition) {
                    LOG.info("{}: key #{} {} passed its re-check and is valid again", provider.name(), key.index(),
                            key.hint());
                }
                break;
            default:
                LOG.debug("{}: key #{} {} refused this request ({}), trying the next key", provider.name(),
                        key.index(), key.hint(), status);
        }
    }
}
