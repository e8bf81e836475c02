package dev.keyfailover.chain;

/**
 * Per-request facts kept in the {@link org.apache.hc.core5.http.protocol.HttpContext} of one
 * exchange: handlers are stateless, so what one handler learns for another lives here.
 */
public final class ExchangeAttributes {

    /** The masked hint of the key of the current attempt ({@code String}); absent for BYOK. */
    public static final String KEY_HINT = "keyfailover.key-hint";
    /** The number of the current attempt, from 1 ({@code Integer}). */
    public static final String ATTEMPT = "keyfailover.attempt";
    /** Whether the request is sent with the client's own credential ({@code Boolean}). */
    public static final String BYOK = "keyfailover.byok";

    private ExchangeAttributes() {
    }
}
