package dev.keyfailover.config;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.keyfailover.settings.AccessSettings;
import dev.keyfailover.settings.AddressRange;
import dev.keyfailover.settings.ClientToken;

/**
 * Reads who may use a route's pool (behaviour.md §13): {@code clientTokens} or
 * {@code clientTokensFile}, {@code byok} ({@code auto} by default, {@code deny} on a route with
 * tokens), {@code byokPattern}, {@code authFailureLimit}, {@code trustedProxies}.
 */
final class AccessConfig {

    private AccessConfig() {
    }

    static AccessSettings read(ParameterReader reader, String providerType) throws ConfigException {
        List<ClientToken> tokens = ClientTokenList.read(reader);
        AccessSettings.Byok byok = reader.parse("byok", value -> Values.choice(value, AccessSettings.Byok.class))
                .orElse(tokens.isEmpty() ? AccessSettings.Byok.AUTO : AccessSettings.Byok.DENY);
        Optional<Pattern> shape = reader.parse("byokPattern", AccessConfig::pattern)
                .or(() -> KeyShapes.of(providerType.toLowerCase(Locale.ROOT)));
        int limit = reader.parse("authFailureLimit", Values::positiveInt)
                .orElse(AccessSettings.DEFAULT_AUTH_FAILURE_LIMIT);
        List<AddressRange> proxies = reader.parse("trustedProxies", AccessConfig::ranges).orElse(List.of());
        Optional<Path> file = reader.optional("clientTokensFile").map(Paths::get);
        return new AccessSettings(tokens, byok, shape, limit, proxies, file);
    }

    private static Pattern pattern(String value) {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("is not a regular expression: " + e.getDescription());
        }
    }

    private static List<AddressRange> ranges(String value) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String part : value.split("[,\\s]+")) {
            if (!part.isBlank()) {
                ranges.add(AddressRange.parse(part));
            }
        }
        return ranges;
    }
}
