package dev.keyfailover.chain;

/**
 * What a {@link HeaderPolicy} may know of the exchange a header belongs to: read-only, so that a
 * policy of a deployment's own can ask but never change what the chain decided.
 */
public interface ExchangeView {

    /** Whether the client's {@code Authorization} is its login to the proxy, not a provider key. */
    boolean containerLogin();

    /** Which credential the request goes upstream with; {@link KeySource#UNDECIDED} before the chain decides. */
    KeySource keySource();

    /** Upstream attempts made so far (0 before the first, and for an answer the proxy made without one). */
    int attempts();

    /** Whether the pool itself answered: its exhaustion, or a key's refusal relayed. */
    boolean poolAnswered();

    /** The masked hint of the pool key whose answer this is; {@code null} for any other answer. */
    String servedBy();

    /** The route whose answer this is (a fallback route's when one served); {@code null} before any. */
    default String route() {
        return null;
    }

    /** The model a fallback route asked its provider for instead of the client's; {@code null} when not renamed. */
    default String renamedModel() {
        return null;
    }

    /** Which credential a request goes upstream with, decided once per exchange. */
    enum KeySource {
        /** Not decided yet: the proxy answers before the chain runs (405, 400). */
        UNDECIDED,
        /** Keys of the route's pool, one per attempt, with failover. */
        POOL,
        /** The client's own provider credential (BYOK): sent once, untouched. */
        CLIENT,
        /** None of the pool's: a route without a pool sends the request once as the client sent it (credentials stripped). */
        NONE
    }
}
