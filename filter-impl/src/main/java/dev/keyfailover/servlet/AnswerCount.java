package dev.keyfailover.servlet;

import java.util.Optional;

import dev.keyfailover.chain.Exchange;
import dev.keyfailover.chain.RequestUsage;
import dev.keyfailover.metrics.UsageLedger;

/**
 * Counts one answer on the route's {@link UsageLedger} exactly once (behaviour.md §16). The copy
 * counts it as soon as upstream's answer is known whole, before its last bytes go to the client: a
 * client that sends its next request the moment it has this answer finds the count landed. An
 * answer that broke off (upstream failed, the client went away) is counted by {@code Forwarding}'s
 * fallback once the copy is over. Used on the request's thread only.
 */
final class AnswerCount {

    /** An answer no key of a pool served: nothing to count, nothing made per request. */
    static final AnswerCount NONE = new AnswerCount(null, null, null, Optional.empty(), UsageTap.NONE);

    private final UsageLedger ledger;
    private final Exchange exchange;
    private final RequestUsage asked;
    private final Optional<String> client;
    private final UsageTap tap;
    private boolean counted;

    private AnswerCount(UsageLedger ledger, Exchange exchange, RequestUsage asked, Optional<String> client,
                        UsageTap tap) {
        this.ledger = ledger;
        this.exchange = exchange;
        this.asked = asked;
        this.client = client;
        this.tap = tap;
    }

    /** The count of this answer, its usage as {@code tap} reads it. */
    static AnswerCount of(UsageLedger ledger, Exchange exchange, RequestUsage asked, Optional<String> client,
                          UsageTap tap) {
        return UsageLedger.counts(exchange) ? new AnswerCount(ledger, exchange, asked, client, tap) : NONE;
    }

    /** Counts the answer, with the usage read so far, unless it was counted already. */
    void count() {
        if (counted || ledger == null) {
            return;
        }
        // Marked first: a count that fails is not tried a second time by the fallback.
        counted = true;
        ledger.record(exchange, asked, client, tap.usage());
    }
}
