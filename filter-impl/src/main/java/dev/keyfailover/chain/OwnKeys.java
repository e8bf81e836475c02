package dev.keyfailover.chain;

import java.util.Set;

import dev.keyfailover.api.Provider;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * How a request the pool does not serve carries the client's own credential (behaviour.md §5,
 * §15): where the provider moves it out of the URL ({@link Provider#moveOwnKey}), on a copy; on a
 * route without keys under {@code byok=deny}, the credential so moved is dropped as well.
 */
final class OwnKeys {

    private final Provider provider;
    private final Set<String> credentialHeaders;
    /** Whether the provider moves credentials at all: if not, no request is copied to ask it (the hot path). */
    private final boolean moves;

    OwnKeys(Provider provider) {
        this.provider = provider;
        this.credentialHeaders = CredentialHeaders.of(provider);
        this.moves = overridesMoveOwnKey(provider);
    }

    /** The request to send: {@code request} itself when nothing moves. */
    ClassicHttpRequest toSend(ClassicHttpRequest request, Exchange exchange) {
        if (!moves) {
            return request;
        }
        ClassicHttpRequest own = ClassicRequestBuilder.copy(request).build();
        if (!provider.moveOwnKey(own)) {
            return request;
        }
        if (!exchange.byok()) {
            credentialHeaders.forEach(own::removeHeaders);
        }
        return own;
    }

    private static boolean overridesMoveOwnKey(Provider provider) {
        try {
            return provider.getClass().getMethod("moveOwnKey", HttpRequest.class).getDeclaringClass() != Provider.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }
}
