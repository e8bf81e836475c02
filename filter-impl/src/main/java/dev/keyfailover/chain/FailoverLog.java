package dev.keyfailover.chain;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.pool.Key;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log lines of key outcomes: a transition is logged once, by the request that made it; keys as hints only. */
final class FailoverLog {

    private static final Logger LOG = LoggerFactory.getLogger(KeyFailoverExec.class);

    private final String providerName;

    FailoverLog(String providerName) {
        this.providerName = providerName;
    }

    void attempt(Key key, int status, KeyVerdict verdict, boolean transition, boolean probe) {
        switch (verdict.action()) {
            case COOL_DOWN:
                if (transition) {
                    LOG.warn("{}: key #{} {} rate-limited ({}), cooling down for {} ms", providerName, key.index(),
                            key.hint(), status, verdict.cooldown().toMillis());
                }
                break;
            case DISABLE:
                if (transition) {
                    LOG.warn("{}: key #{} {} disabled after {}", providerName, key.index(), key.hint(), status);
                } else if (probe) {
                    LOG.warn("{}: key #{} {} failed its re-check ({})", providerName, key.index(), key.hint(), status);
                }
                break;
            case ACCEPT:
                if (transition) {
                    LOG.info("{}: key #{} {} passed its re-check and is valid again", providerName, key.index(),
                            key.hint());
                }
                break;
            default:
                LOG.debug("{}: key #{} {} refused this request ({}), trying the next key", providerName,
                        key.index(), key.hint(), status);
        }
    }

    void exhausted(KeyPoolExhaustion exhaustion, int attempts) {
        LOG.warn("{}: no key left after {} attempt(s): {} (retry after {} ms)", providerName, attempts,
                exhaustion.kind(), exhaustion.retryAfter().toMillis());
    }
}
