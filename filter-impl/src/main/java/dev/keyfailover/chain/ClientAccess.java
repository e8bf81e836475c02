package dev.keyfailover.chain;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.keyfailover.settings.AccessSettings;
import dev.keyfailover.settings.ClientToken;

/**
 * Who may use one route's pool (behaviour.md §13): its client tokens, compared in constant time
 * with what a client sent where its SDK puts a key, and the failed-credential limit per address.
 * Asked by {@link ClientCredentialsExec} once per request; holds no secret, only digests.
 */
public final class ClientAccess {

    private static final ClientAccess OPEN = new ClientAccess("", List.of(), null);

    private final String route;
    /** Replaced whole when the route's {@code clientTokensFile} changes (§13); read once per request. */
    private volatile List<ClientToken> tokens;
    private final AuthFailures failures;

    private ClientAccess(String route, List<ClientToken> tokens, AuthFailures failures) {
        this.route = route;
        this.tokens = tokens;
        this.failures = failures;
    }

    /** No tokens: every request is let through, as before client tokens. */
    public static ClientAccess open() {
        return OPEN;
    }

    /** The access rules of a route of this name. */
    public static ClientAccess of(String route, AccessSettings settings, Clock clock) {
        return settings.tokens().isEmpty() ? OPEN
                : new ClientAccess(route, settings.tokens(), new AuthFailures(settings.authFailureLimit(), clock));
    }

    /**
     * The tokens of a changed {@code clientTokensFile}: requests from now on are checked against
     * these. Never empty, since a route that asks for tokens keeps asking.
     */
    public void replace(List<ClientToken> changed) {
        if (this == OPEN || changed.isEmpty()) {
            throw new IllegalArgumentException("a route with client tokens keeps at least one");
        }
        tokens = List.copyOf(changed);
    }

    /** Whether the route asks for a client token. */
    public boolean tokensRequired() {
        return !tokens.isEmpty();
    }

    /** The names of the route's clients, for the {@code client} tag of the meters. */
    public List<String> clientNames() {
        return tokens.stream().map(ClientToken::name).toList();
    }

    /** How long the address is still refused for its failed credentials; empty when it is not. */
    Optional<Duration> blocked(String address) {
        return failures == null ? Optional.empty() : failures.blocked(address);
    }

    /** Counts a failed credential of the address. */
    void failed(String address) {
        if (failures != null) {
            failures.failed(address);
        }
    }

    /**
     * The token among the credentials, whatever route it is for. Every credential is hashed and
     * compared with every token by {@link java.security.MessageDigest#isEqual}: no early exit
     * tells how much of a token matched.
     */
    Optional<ClientToken> find(List<String> credentials) {
        ClientToken found = null;
        List<ClientToken> current = tokens;
        for (String credential : credentials) {
            byte[] digest = ClientToken.sha256(credential);
            for (ClientToken token : current) {
                if (token.matches(digest) && found == null) {
                    found = token;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether the token may be used on this route. */
    boolean allowsHere(ClientToken token) {
        return token.allows(route);
    }
}
