package dev.keyfailover.chain;

import java.util.Collection;
import java.util.Iterator;
import java.util.Set;

import dev.keyfailover.api.HeaderNames;
import dev.keyfailover.api.Provider;
import dev.keyfailover.pool.Key;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Which headers cross the proxy, for one route, on both sides (behaviour.md §5 and §8), decided in
 * this one place and called where headers are copied: by the servlet for client headers and
 * upstream answers, by {@link ClientCredentialsExec} for credentials. Subclass it to change a rule,
 * as Jetty's proxy servlet lets you override {@code copyRequestHeaders} and
 * {@code filterServerResponseHeader}. Names passed in are lower-case.
 */
public class HeaderPolicy {

    /** Set by HttpClient for the upstream connection and entity, or kept from upstream (cookies). */
    private static final Set<String> NOT_COPIED_UPSTREAM = Set.of("host", "content-length", "expect", "cookie");
    /** The container writes its own; copies would make them appear twice. */
    private static final Set<String> CONTAINER_OWN = Set.of("date", "server");

    /** Upstream attempts made for an answer to a pool request (behaviour.md §10). */
    public static final String ATTEMPTS_HEADER = "X-Keyfailover-Attempts";
    /** The masked hint of the key that served, with {@code exposeKeyHint=true}. */
    public static final String KEY_HEADER = "X-Keyfailover-Key";

    private final Provider provider;
    private final boolean byokAllowed;
    private final Collection<String> clientAuthHeaders;
    private final Set<String> accountHeaders;
    private final boolean exposeKeyHint;

    /**
     * @param byokAllowed {@code byok=allow}: a request carrying its own provider credential is sent
     *     with it; otherwise client credentials are stripped and the pool is used
     * @param clientAuthHeaders headers that authenticate the client to the proxy: never forwarded
     * @param accountHeaders upstream answer headers naming the account behind a pool key
     *     ({@code dropResponseHeaders}): dropped unless the request was BYOK
     */
    public HeaderPolicy(Provider provider, boolean byokAllowed, Collection<String> clientAuthHeaders,
                        Collection<String> accountHeaders) {
        this(provider, byokAllowed, clientAuthHeaders, accountHeaders, false);
    }

    /** @param exposeKeyHint whether answers to pool requests name the key that served, masked */
    public HeaderPolicy(Provider provider, boolean byokAllowed, Collection<String> clientAuthHeaders,
                        Collection<String> accountHeaders, boolean exposeKeyHint) {
        this.provider = provider;
        this.byokAllowed = byokAllowed;
        this.clientAuthHeaders = HeaderNames.lowerCase(clientAuthHeaders);
        this.accountHeaders = HeaderNames.lowerCase(accountHeaders);
        this.exposeKeyHint = exposeKeyHint;
    }

    /**
     * The lower-case names that belong to one connection (the fixed list and what the
     * {@code Connection} values name); the fixed set itself, no copy, in the usual case.
     */
    public Set<String> hopByHop(Iterator<String> connectionValues) {
        return HopByHop.namesToDrop(connectionValues);
    }

    /** Whether a client request header is copied onto the upstream request. */
    public boolean copiesRequestHeader(String name, Set<String> hopByHop) {
        return !hopByHop.contains(name) && !NOT_COPIED_UPSTREAM.contains(name);
    }

    /** Whether the request goes upstream with the client's own credential ({@code byok=allow} and the provider says so). */
    public boolean isByok(HttpRequest request) {
        return byokAllowed && provider.isByok(request);
    }

    /** Whether {@link #stripClientCredentials} would remove anything from this request. */
    public boolean carriesClientCredentials(HttpRequest request, Exchange exchange) {
        if (exchange.containerLogin() && request.containsHeader("Authorization")) {
            return true;
        }
        for (String header : clientAuthHeaders) {
            if (request.containsHeader(header)) {
                return true;
            }
        }
        for (String header : provider.credentialHeaders()) {
            if (request.containsHeader(header)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the client's credentials off the upstream request: its login to the proxy (container
     * login, {@code clientAuthHeaders}) always, its provider credential unless the request is BYOK.
     *
     * @return whether the request is BYOK: sent once, with the client's own credential
     */
    public boolean stripClientCredentials(HttpRequest request, Exchange exchange) {
        for (String header : clientAuthHeaders) {
            request.removeHeaders(header);
        }
        if (exchange.containerLogin()) {
            request.removeHeaders("Authorization");
        }
        boolean byok = isByok(request);
        if (!byok) {
            for (String header : provider.credentialHeaders()) {
                request.removeHeaders(header);
            }
        }
        return byok;
    }

    /**
     * Marks the answer to a pool request: how many upstream attempts it took and, with
     * {@code exposeKeyHint}, the masked hint of the key that served ({@code servedBy}, {@code null}
     * for an answer of the proxy's own).
     */
    public void addPoolHeaders(HttpResponse answer, int attempts, Key servedBy) {
        answer.setHeader(ATTEMPTS_HEADER, Integer.toString(attempts));
        if (exposeKeyHint && servedBy != null) {
            // Header values are ASCII: the hint's ellipsis is written as three dots.
            answer.setHeader(KEY_HEADER, servedBy.hint().replace("…", "..."));
        }
    }

    /** Whether an upstream answer header is copied to the client. */
    public boolean copiesResponseHeader(String name, Set<String> hopByHop, Exchange exchange) {
        return !hopByHop.contains(name) && !CONTAINER_OWN.contains(name)
                && (exchange.byok() || !accountHeaders.contains(name));
    }
}
