package dev.keyfailover.chain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.pool.KeyId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The log lines of key outcomes: a transition is logged once, by the request that made it; keys as
 * hints only. The lines of a request that fails as many others do (no key left, budget ran out) go
 * through a {@link LogThrottle}: an outage writes one per kind per window, not one per request.
 */
final class FailoverLog implements FailoverEvents {

    private static final Logger LOG = LoggerFactory.getLogger(KeyFailoverExec.class);

    private final String providerName;
    private final LogThrottles exhaustions;
    private final LogThrottle budgetsSpent;

    /** @param lines the route's throttled lines, where this log's throttles are swept */
    FailoverLog(String providerName, Clock clock, ThrottledLines lines) {
        this.providerName = providerName;
        this.exhaustions = lines.throttles(clock, LOG, Level.WARN, providerName, "no key left: ");
        this.budgetsSpent = lines.throttle(clock, LOG, Level.WARN, providerName, "requestBudget ran out");
    }

    @Override
    public void attempt(AttemptReport attempt) {
        if (!attempt.pooled() || attempt.transportFailed()) {
            return;
        }
        KeyVerdict verdict = attempt.verdict();
        boolean transition = attempt.transition();
        int status = attempt.status();
        String what = switch (verdict.action()) {
            case COOL_DOWN -> transition ? "rate-limited (" + status + "), cooling down for "
                    + verdict.cooldown().toMillis() + " ms" : null;
            case DISABLE -> transition ? "disabled after " + status
                    : attempt.probe() ? "failed its re-check (" + status + ")" : null;
            case EXHAUST -> transition ? "is out of credit or quota (" + status + "), set aside until its re-check"
                    : null;
            case ACCEPT -> transition ? "passed its re-check and is valid again" : null;
            case SKIP -> LOG.isDebugEnabled() ? "refused this request (" + status + "), trying the next key" : null;
        };
        if (what == null) {
            return;
        }
        KeyId key = attempt.key();
        if (verdict.action() == KeyVerdict.Action.SKIP) {
            LOG.debug("{}: key #{} {} {}", providerName, key.index(), key.hint(), what);
        } else if (verdict.action() == KeyVerdict.Action.ACCEPT) {
            LOG.info("{}: key #{} {} {}", providerName, key.index(), key.hint(), what);
        } else {
            LOG.warn("{}: key #{} {} {}", providerName, key.index(), key.hint(), what);
        }
    }

    @Override
    public void limitUsedUp(KeyId key, String model) {
        LOG.info("{}: key #{} {} has used up a rate limit{}, cooling until it refills", providerName, key.index(),
                key.hint(), model == null ? "" : " for " + printable(model));
    }

    @Override
    public void keyBudgetSpent(KeyId key, String budget, Instant reset) {
        LOG.warn("{}: key #{} {} spent its budget of {}, cooling (reason budget) until {}", providerName, key.index(),
                key.hint(), budget, reset);
    }

    @Override
    public void fallback(String to, FallbackReason reason) {
        // Per request, so never above DEBUG: an outage would flood the log; the breaker's changes say it once.
        LOG.debug("{}: request goes to fallback route '{}' ({})", providerName, to, reason.tag());
    }

    @Override
    public void breaker(String model, boolean open) {
        if (open) {
            LOG.warn("{}: breaker open{}: requests go to the fallback route until a probe succeeds", providerName,
                    model == null ? "" : " for " + printable(model));
        } else {
            LOG.info("{}: breaker closed{}: a probe succeeded", providerName, model == null ? "" : " for "
                    + printable(model));
        }
    }

    /** A client-chosen name as it may be logged: short, plain characters only. */
    private static String printable(String text) {
        String plain = text.replaceAll("[^A-Za-z0-9._:/@+-]", "?");
        return plain.length() > 80 ? plain.substring(0, 80) + "…" : plain;
    }

    @Override
    public void retrying(int attempts, int status, Duration wait) {
        LOG.debug("{}: attempt {} failed transiently ({}), retrying in {} ms", providerName, attempts,
                status < 0 ? "no answer" : Integer.toString(status), wait.toMillis());
    }

    @Override
    public void budgetSpent(int attempts) {
        long leftOut = budgetsSpent.occurred();
        if (leftOut != LogThrottle.COUNTED) {
            LOG.warn("{}: requestBudget ran out after {} attempt(s), answering 504{}", providerName, attempts,
                    LogThrottle.summary(leftOut));
        }
    }

    @Override
    public void exhausted(KeyPoolExhaustion exhaustion, int attempts) {
        long leftOut = exhaustions.occurred(exhaustion.kind().name());
        if (leftOut != LogThrottle.COUNTED) {
            LOG.warn("{}: no key left after {} attempt(s): {} (retry after {} ms){}", providerName, attempts,
                    exhaustion.kind(), exhaustion.retryAfter().toMillis(), LogThrottle.summary(leftOut));
        }
    }
}
