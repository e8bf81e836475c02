package dev.keyfailover.chain;

import java.time.Duration;
import java.time.Instant;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.pool.KeyId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines of key outcomes, each written once per occurrence: a transition by the request that
 * made it, a used-up limit, a spent key budget, a breaker's change; keys as hints only. Nothing here
 * is throttled, so it holds no throttle for the route to sweep: the lines a request that fails as
 * many others do repeats (no key left, budget ran out) are {@link OutageLog}'s.
 */
final class FailoverLog implements FailoverEvents {

    /** The failover's logger, which {@link OutageLog} writes to too. */
    static final Logger LOG = LoggerFactory.getLogger(KeyFailoverExec.class);

    private final String providerName;

    FailoverLog(String providerName) {
        this.providerName = providerName;
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
            LOG.debug("{}: key {} {}", providerName, key, what);
        } else if (verdict.action() == KeyVerdict.Action.ACCEPT) {
            LOG.info("{}: key {} {}", providerName, key, what);
        } else {
            LOG.warn("{}: key {} {}", providerName, key, what);
        }
    }

    @Override
    public void limitUsedUp(KeyId key, String model) {
        LOG.info("{}: key {} has used up a rate limit{}, cooling until it refills", providerName, key,
                model == null ? "" : " for " + printable(model));
    }

    @Override
    public void keyBudgetSpent(KeyId key, String budget, Instant reset) {
        LOG.warn("{}: key {} spent its budget of {}, cooling (reason budget) until {}", providerName, key,
                budget, reset);
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
}
