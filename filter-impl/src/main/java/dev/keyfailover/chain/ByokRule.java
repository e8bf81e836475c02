package dev.keyfailover.chain;

import java.util.Objects;
import java.util.regex.Pattern;

import dev.keyfailover.api.Provider;
import dev.keyfailover.settings.AccessSettings;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Whose key a client's credential is (behaviour.md §5, §13), for {@link HeaderPolicy#isByok}:
 * {@code allow} (any credential in a BYOK header), {@code deny} (none), {@code auto} (only one of
 * the provider's key shape; an SDK's placeholder is not).
 */
public final class ByokRule {

    private static final ByokRule ALLOW = new ByokRule(AccessSettings.Byok.ALLOW, null);
    private static final ByokRule DENY = new ByokRule(AccessSettings.Byok.DENY, null);

    private final AccessSettings.Byok mode;
    private final Pattern keyShape;

    private ByokRule(AccessSettings.Byok mode, Pattern keyShape) {
        this.mode = mode;
        this.keyShape = keyShape;
    }

    /** Any credential in one of the provider's BYOK headers is the client's own key. */
    public static ByokRule allow() {
        return ALLOW;
    }

    /** No credential is the client's own key. */
    public static ByokRule deny() {
        return DENY;
    }

    /** Only a credential that matches {@code keyShape} whole is the client's own key. */
    public static ByokRule auto(Pattern keyShape) {
        return new ByokRule(AccessSettings.Byok.AUTO, Objects.requireNonNull(keyShape, "keyShape"));
    }

    /** The rule of a route's settings; {@code auto} without a known key shape is {@code allow}. */
    public static ByokRule of(AccessSettings access) {
        return switch (access.byok()) {
            case ALLOW -> ALLOW;
            case DENY -> DENY;
            case AUTO -> access.keyShape().map(ByokRule::auto).orElse(ALLOW);
        };
    }

    /** Whether the request goes upstream with the client's own credential. */
    boolean isByok(Provider provider, HttpRequest request) {
        return switch (mode) {
            case ALLOW -> provider.isByok(request);
            case DENY -> false;
            case AUTO -> provider.isByok(request) && provider.clientCredentials(request).stream()
                    .anyMatch(credential -> keyShape.matcher(credential).matches());
        };
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase(java.util.Locale.ROOT) + (keyShape == null ? "" : " (" + keyShape + ")");
    }
}
