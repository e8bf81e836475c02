package dev.keyfailover.servlet;

import dev.keyfailover.settings.AccessSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a route says at start about who may use its pool (behaviour.md §13): names only, never a token. */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyRoute.class);

    private AccessLog() {
    }

    static void started(String where, String provider, AccessSettings access, boolean pooled) {
        if (access.tokensRequired()) {
            LOG.info("{}: {} client token(s) ({}); byok={}", where, access.tokens().size(),
                    String.join(", ", access.tokens().stream().map(token -> token.name()).toList()),
                    access.byok().name().toLowerCase(java.util.Locale.ROOT));
        } else if (pooled) {
            LOG.info("{}: no client tokens: whoever reaches '{}' spends its pool (set clientTokens, behaviour.md §13)",
                    where, provider);
        }
        if (access.byok() == AccessSettings.Byok.AUTO && access.keyShape().isEmpty()) {
            LOG.warn("{}: byok=auto knows no key shape for '{}': every client credential counts as the client's "
                    + "own key; set byokPattern or byok=deny", where, provider);
        }
    }
}
