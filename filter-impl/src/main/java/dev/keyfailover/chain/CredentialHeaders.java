package dev.keyfailover.chain;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import dev.keyfailover.api.Provider;

/**
 * The provider credential headers of a route, lower-case: the headers a pool key travels in, every
 * header the API takes a credential in, and the headers that make a request BYOK (behaviour.md
 * §5). All of them are taken off the client's request when the pool serves it, and all are masked
 * wherever a request is written down: one set, so that neither rule can miss a header the other
 * knows.
 */
final class CredentialHeaders {

    private CredentialHeaders() {
    }

    static Set<String> of(Provider provider) {
        Set<String> names = new HashSet<>();
        names.addAll(lowerCase(provider.keyHeaders()));
        names.addAll(lowerCase(provider.credentialHeaders()));
        names.addAll(lowerCase(provider.byokHeaders()));
        return Set.copyOf(names);
    }

    /** The names in lower case, for case-insensitive lookups on the request path. */
    static Set<String> lowerCase(Collection<String> names) {
        Set<String> lower = new HashSet<>();
        for (String name : names) {
            lower.add(name.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(lower);
    }
}
