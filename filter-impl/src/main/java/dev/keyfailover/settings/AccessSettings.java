package dev.keyfailover.settings;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may use a route's pool (behaviour.md §13): its client tokens, whose credential is the
 * client's own key ({@code byok}, {@code byokPattern}), the failed-credential limit per address,
 * and the proxies whose {@code X-Forwarded-For} counts.
 *
 * @param tokens the route's client tokens; empty: no token is asked for
 * @param byok the effective rule: {@code byok} as set, else {@code deny} with tokens, {@code auto} without
 * @param keyShape under {@code auto}, the shape of the client's own key ({@code byokPattern}, else the
 *     provider's); empty when none is known (then every credential is the client's own)
 * @param authFailureLimit failed credentials from one address within a minute before it is refused for one
 * @param trustedProxies the connections whose {@code X-Forwarded-For} names the client
 * @param tokensFile the {@code clientTokensFile} the tokens came from, watched for changes (behaviour.md §13, §14)
 */
public record AccessSettings(List<ClientToken> tokens, Byok byok, Optional<Pattern> keyShape, int authFailureLimit,
                             List<AddressRange> trustedProxies, Optional<Path> tokensFile) {

    /** The default {@code authFailureLimit}. */
    public static final int DEFAULT_AUTH_FAILURE_LIMIT = 20;

    /** Whose key a client credential is. */
    public enum Byok {
        /** Any credential in a BYOK header is the client's own key. */
        ALLOW,
        /** No credential is: each is stripped (on a route with tokens, an unknown one is refused). */
        DENY,
        /** Only a credential of the provider's key shape is; any other (an SDK's placeholder) is stripped. */
        AUTO
    }

    /** Tokens given inline, or none. */
    public AccessSettings(List<ClientToken> tokens, Byok byok, Optional<Pattern> keyShape, int authFailureLimit,
                          List<AddressRange> trustedProxies) {
        this(tokens, byok, keyShape, authFailureLimit, trustedProxies, Optional.empty());
    }

    public AccessSettings {
        tokens = List.copyOf(tokens);
        trustedProxies = List.copyOf(trustedProxies);
        if (authFailureLimit < 1) {
            throw new IllegalArgumentException("authFailureLimit must be at least 1");
        }
    }

    /** No tokens, {@code byok=allow}: the behaviour before client tokens, for tests and custom assemblies. */
    public static AccessSettings open() {
        return new AccessSettings(List.of(), Byok.ALLOW, Optional.empty(), DEFAULT_AUTH_FAILURE_LIMIT, List.of());
    }

    /** Whether the route asks for client tokens. */
    public boolean tokensRequired() {
        return !tokens.isEmpty();
    }
}
