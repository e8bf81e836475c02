package dev.keyfailover.chain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import dev.keyfailover.api.ModelSource;
import dev.keyfailover.pool.KeyId;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * What one client exchange knows about itself, kept in its {@link HttpContext}: handlers are
 * stateless, so what the servlet tells the chain, and what one handler decides for the others,
 * lives here, typed, decided once. Others read it through {@link ExchangeView}. A request passed on
 * to a fallback route has an exchange there too ({@link FallbackHandOver}).
 */
public final class Exchange implements ExchangeView {

    private static final String ATTRIBUTE = Exchange.class.getName();

    /** Who made the answer the chain returned. */
    public enum Origin {
        /** Upstream, with a pool key, the client's own (BYOK), or none (a route without a pool). */
        UPSTREAM,
        /** The pool ran dry: the proxy's exhaustion answer, or the refusal of a key relayed. */
        EXHAUSTION,
        /** The proxy itself, for a request it does not forward (e.g. 413). */
        PROXY
    }

    private final boolean containerLogin;
    private KeySource keySource = KeySource.UNDECIDED;
    private int attempts;
    private KeyId servedKey;
    private ReplayableBody body;
    private Origin origin = Origin.UPSTREAM;
    private long upstreamNanos;
    private String route;
    private String renamedModel;
    private boolean servingAsFallback;
    private String model;
    private boolean modelFound;
    private Supplier<String> serverOrigin = () -> "";
    private String pathAndQuery = "";
    private RequestBudget budget;
    private boolean retriesSpent;

    private Exchange(boolean containerLogin) {
        this.containerLogin = containerLogin;
    }

    /**
     * Starts an exchange in a fresh context.
     *
     * @param containerLogin the container authenticated the client with a header scheme (BASIC,
     *     DIGEST, custom): its {@code Authorization} is the client's login to the proxy
     */
    public static Exchange start(HttpContext context, boolean containerLogin) {
        Exchange exchange = new Exchange(containerLogin);
        context.setAttribute(ATTRIBUTE, exchange);
        return exchange;
    }

    /** The exchange of a context; one with no container login when the caller started none. */
    public static Exchange of(HttpContext context) {
        Object exchange = context.getAttribute(ATTRIBUTE);
        return exchange instanceof Exchange ? (Exchange) exchange : start(context, false);
    }

    @Override
    public boolean containerLogin() {
        return containerLogin;
    }

    /** Decided once, by {@link ClientCredentialsExec}. */
    @Override
    public KeySource keySource() {
        return keySource;
    }

    void keySource(KeySource value) {
        this.keySource = value;
    }

    /** Whether the request walks the pool. */
    public boolean pooled() {
        return keySource == KeySource.POOL;
    }

    /** Whether the request goes upstream with the client's own credential. */
    public boolean byok() {
        return keySource == KeySource.CLIENT;
    }

    @Override
    public int attempts() {
        return attempts;
    }

    /** Counts an attempt about to be sent and returns its number, from 1. */
    int nextAttempt() {
        return ++attempts;
    }

    /** Counts the attempts another route made for this request (a fallback route's). */
    void countAttempts(int more) {
        attempts += more;
    }

    @Override
    public boolean poolAnswered() {
        return origin == Origin.EXHAUSTION;
    }

    @Override
    public String servedBy() {
        return servedKey == null ? null : servedKey.hint();
    }

    /** The pool key that served (of {@link #route()}'s pool); {@code null} when none did. */
    public KeyId servedKey() {
        return servedKey;
    }

    void servedBy(KeyId key) {
        this.servedKey = key;
    }

    /** Who made the answer the chain returned (set by the handler that made it, when not upstream). */
    public Origin origin() {
        return origin;
    }

    void origin(Origin value) {
        this.origin = value;
    }

    /**
     * The last attempt's time from request sent to response head received, or to its transport
     * failure (set by {@link UpstreamTimingExec}); 0 when not measured.
     */
    public long upstreamNanos() {
        return upstreamNanos;
    }

    void upstreamNanos(long value) {
        this.upstreamNanos = value;
    }

    @Override
    public String route() {
        return route;
    }

    void route(String name) {
        this.route = name;
    }

    @Override
    public String renamedModel() {
        return renamedModel;
    }

    void renamedModel(String model) {
        this.renamedModel = model;
    }

    /** Whether this exchange is another route's fallback: it falls back no further. */
    boolean servingAsFallback() {
        return servingAsFallback;
    }

    void servingAsFallback(boolean value) {
        this.servingAsFallback = value;
    }

    /** The model the request is for, found once (behaviour.md §9); {@code null} when it names none. */
    String model(ClassicHttpRequest request, ModelSource source) {
        if (!modelFound) {
            model = RequestModel.of(request, body, source);
            modelFound = true;
        }
        return model;
    }

    /**
     * Where the client's request went, for a fallback route to send it on: the servlet's origin
     * and context ({@code http://host:port/app}, asked only for a base URL on this same server) and
     * the path after the route's prefix with its query, as the client sent them.
     */
    public void forwarded(Supplier<String> serverOrigin, String pathAndQuery) {
        this.serverOrigin = serverOrigin;
        this.pathAndQuery = pathAndQuery;
    }

    String serverOrigin() {
        return serverOrigin.get();
    }

    String pathAndQuery() {
        return pathAndQuery;
    }

    /**
     * When the request's {@code requestBudget} runs out (behaviour.md §18), set by the first route
     * that bounds it, so that a route serving the same request later honours it too; empty when
     * no route bounds it.
     */
    public Optional<Instant> deadline() {
        return budget == null ? Optional.empty() : Optional.of(budget.deadline());
    }

    /** Starts the budget unless it runs already: the first route's counts for the whole request. */
    void startBudget(Instant now, Duration length) {
        if (budget == null) {
            budget = new RequestBudget(now.plus(length));
        }
    }

    /** This route's hold on the request's budget (what it ran out on); {@code null} when none bounds it. */
    RequestBudget budget() {
        return budget;
    }

    /**
     * Whether the answer is a transient failure the proxy gave up retrying (its retries or the
     * request's budget ran out, behaviour.md §18): the client gets it with {@code x-should-retry:
     * false}, so that retries do not multiply, and a fallback route may take the request.
     */
    public boolean retriesSpent() {
        return retriesSpent;
    }

    void retriesSpent(boolean value) {
        this.retriesSpent = value;
    }

    /** The client's body as buffered for replay; {@code null} before that or without a body. */
    ReplayableBody body() {
        return body;
    }

    void body(ReplayableBody value) {
        this.body = value;
    }
}
