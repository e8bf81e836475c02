package dev.keyfailover.chain;

import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.BiConsumer;

import dev.keyfailover.api.Provider;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Which headers cross the proxy, for one route, on both sides (behaviour.md §5 and §8), decided in
 * this one place and called where headers are copied: by the servlet for client headers and
 * upstream answers, by {@link ClientCredentialsExec} for credentials. Subclass it to change a rule,
 * as Jetty's proxy servlet lets you override {@code copyRequestHeaders} and
 * {@code filterServerResponseHeader}. Names passed in are lower-case; the exchange is seen
 * read-only ({@link ExchangeView}).
 *
 * <p>Three header roles are kept apart: the client's login to the proxy ({@code clientAuthHeaders},
 * a container's {@code Authorization}), always stripped; the provider's credential headers (where a
 * pool key travels, where the API takes a credential, what makes a request BYOK), stripped from
 * every request the client's own key does not serve; and what makes a request BYOK
 * ({@link #isByok}).
 */
public class HeaderPolicy {

    /** Set by HttpClient for the upstream connection and entity, or kept from upstream (cookies). */
    private static final Set<String> NOT_COPIED_UPSTREAM = Set.of("host", "content-length", "expect", "cookie");
    /** The container writes its own; copies would make them appear twice. */
    private static final Set<String> CONTAINER_OWN = Set.of("date", "server");
    /*
     * The same rules merged for the usual message, whose Connection names nothing more (hop-by-hop
     * is then the fixed list itself): one set probe per header instead of two or three (issue 22:
     * one request's hot path, every header of both messages).
     */
    private static final Set<String> NOT_COPIED_UPSTREAM_OR_HOP = union(HopByHop.always(), NOT_COPIED_UPSTREAM);
    private static final Set<String> NOT_COPIED_BACK_OR_HOP = union(HopByHop.always(), CONTAINER_OWN);

    /** Upstream attempts made for an answer to a pool request (behaviour.md §10). */
    public static final String ATTEMPTS_HEADER = "X-Keyfailover-Attempts";
    /** The masked hint of the key that served, with {@code exposeKeyHint=true}. */
    public static final String KEY_HEADER = "X-Keyfailover-Key";
    /** The route whose answer a pool request got (a fallback route's when one served, behaviour.md §18). */
    public static final String ROUTE_HEADER = "X-Keyfailover-Route";
    /** The model a fallback route asked for instead of the client's, when it renamed it. */
    public static final String MODEL_HEADER = "X-Keyfailover-Model";

    private final Provider provider;
    private final ByokRule byok;
    private final Set<String> clientAuthHeaders;
    private final Set<String> providerCredentials;
    private final Set<String> accountHeaders;
    /** The fixed hop-by-hop list, the container's own and the account headers. */
    private final Set<String> notCopiedBackToPoolClients;
    private final boolean exposeKeyHint;

    /**
     * @param byokAllowed {@code byok=allow}: a request carrying its own provider credential is sent
     *     with it; otherwise client credentials are stripped and the pool is used
     * @param clientAuthHeaders headers that authenticate the client to the proxy: never forwarded
     * @param accountHeaders upstream answer headers naming the account behind a pool key
     *     ({@code dropResponseHeaders}, else {@link Provider#accountHeaders()}): dropped unless the
     *     request was BYOK
     * @param exposeKeyHint whether answers to pool requests name the key that served, masked
     */
    public HeaderPolicy(Provider provider, boolean byokAllowed, Collection<String> clientAuthHeaders,
                        Collection<String> accountHeaders, boolean exposeKeyHint) {
        this(provider, byokAllowed ? ByokRule.allow() : ByokRule.deny(), clientAuthHeaders, accountHeaders,
                exposeKeyHint);
    }

    /**
     * As the other constructor, with the route's rule of whose key a credential is: {@code allow},
     * {@code deny} or {@code auto} (behaviour.md §13).
     */
    public HeaderPolicy(Provider provider, ByokRule byok, Collection<String> clientAuthHeaders,
                        Collection<String> accountHeaders, boolean exposeKeyHint) {
        this.provider = provider;
        this.byok = byok;
        this.clientAuthHeaders = CredentialHeaders.lowerCase(clientAuthHeaders);
        this.providerCredentials = CredentialHeaders.of(provider);
        this.accountHeaders = CredentialHeaders.lowerCase(accountHeaders);
        this.notCopiedBackToPoolClients = union(NOT_COPIED_BACK_OR_HOP, this.accountHeaders);
        this.exposeKeyHint = exposeKeyHint;
    }

    private static Set<String> union(Set<String> some, Set<String> others) {
        Set<String> union = new HashSet<>(some);
        union.addAll(others);
        return Set.copyOf(union);
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
        if (hopByHop == HopByHop.always()) {
            return !NOT_COPIED_UPSTREAM_OR_HOP.contains(name);
        }
        return !hopByHop.contains(name) && !NOT_COPIED_UPSTREAM.contains(name);
    }

    /**
     * Whether the request goes upstream with the client's own credential: the route's {@code byok}
     * rule ({@link ByokRule}) and the provider's {@link Provider#byokHeaders()} say so. Asked once,
     * of the request without the client's login to the proxy, after a client token, if any, was
     * not found in it (behaviour.md §13).
     */
    public boolean isByok(HttpRequest request) {
        return byok.isByok(provider, request);
    }

    /**
     * Whether a client header is taken off the upstream request. The client's login to the proxy
     * always; the provider's credential headers (key, credential and BYOK headers) whenever the
     * client's own key does not serve the request, so that a client credential never travels along
     * with a pool key. Before the key source is decided ({@link ExchangeView.KeySource#UNDECIDED})
     * only the login counts.
     *
     * @param name the header's name in lower case
     */
    public boolean strips(String name, ExchangeView exchange) {
        if (clientAuthHeaders.contains(name) || exchange.containerLogin() && name.equals("authorization")) {
            return true;
        }
        return switch (exchange.keySource()) {
            case UNDECIDED, CLIENT -> false;
            case POOL, NONE -> providerCredentials.contains(name);
        };
    }

    /** Whether an upstream answer header is copied to the client. */
    public boolean copiesResponseHeader(String name, Set<String> hopByHop, ExchangeView exchange) {
        if (hopByHop == HopByHop.always()) {
            return !(exchange.keySource() == ExchangeView.KeySource.CLIENT ? NOT_COPIED_BACK_OR_HOP
                    : notCopiedBackToPoolClients).contains(name);
        }
        return !hopByHop.contains(name) && !CONTAINER_OWN.contains(name)
                && (exchange.keySource() == ExchangeView.KeySource.CLIENT || !accountHeaders.contains(name));
    }

    /**
     * Marks the answer to a pool request, whoever made it: how many upstream attempts it took on
     * every route (0 when the pool had no key to try), the route that answered, the model a
     * fallback route renamed it to, and, with {@code exposeKeyHint}, the masked hint of the key
     * that served. Nothing for a request the pool does not serve, nor for an answer the proxy made
     * before walking the pool (a 413).
     */
    public void addPoolHeaders(ExchangeView exchange, BiConsumer<String, String> setHeader) {
        if (exchange.keySource() != ExchangeView.KeySource.POOL
                || exchange.attempts() == 0 && !exchange.poolAnswered()) {
            return;
        }
        setHeader.accept(ATTEMPTS_HEADER, Integer.toString(exchange.attempts()));
        if (exchange.route() != null) {
            setHeader.accept(ROUTE_HEADER, exchange.route());
        }
        if (exchange.renamedModel() != null) {
            setHeader.accept(MODEL_HEADER, exchange.renamedModel());
        }
        if (exposeKeyHint && exchange.servedBy() != null) {
            // Header values are ASCII: the hint's ellipsis is written as three dots.
            setHeader.accept(KEY_HEADER, exchange.servedBy().replace("…", "..."));
        }
    }
}
