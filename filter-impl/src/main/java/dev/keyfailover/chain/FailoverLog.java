package dev.keyfailover.chain;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.pool.Key;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log lines of key outcomes: a transition is logged once, by the request that made it; keys as hints only. */
final class FailoverLog implements FailoverEvents {

    private static final Logger LOG = LoggerFactory.getLogger(KeyFailoverExec.class);

    private final String providerName;

    FailoverLog(String providerName) {
        this.providerName = providerName;
    }

    @Override
    public void attempt(Key key, int status, KeyVerdict verdict, boolean transition, boolean probe,
                        long upstreamNanos) {
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
            case EXHAUST:
                if (transition) {
                    LOG.warn("{}: key #{} {} is out of credit or quota ({}), set aside until its re-check",
                            providerName, key.index(), key.hint(), status);
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

    @Override
    public void limitUsedUp(Key key, String model) {
        LOG.info("{}: key #{} {} has used up a rate limit{}, cooling until it refills", providerName, key.index(),
                key.hint(), model == null ? "" : " for " + printable(model));
    }

    /** A client-chosen name as it may be logged: short, plain characters only. */
    private static String printable(String text) {
        String plain = text.replaceAll("[^A-Za-z0-9._:/@+-]", "?");
        return plain.length() > 80 ? plain.substring(0, 80) + "…" : plain;
    }

    @Override
    public void exhausted(KeyPoolExhaustion exhaustion, int attempts) {
        LOG.warn("{}: no key left after {} attempt(s): {} (retry after {} ms)", providerName, attempts,
                exhaustion.kind(), exhaustion.retryAfter().toMillis());
    }
}
