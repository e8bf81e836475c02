package dev.keyfailover.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shape of a provider's own API keys, by provider type, for {@code byok=auto} (behaviour.md
 * §13): a client credential of this shape is the client's own key, any other (an SDK's
 * placeholder) is stripped. A route's {@code byokPattern} replaces it; a type not listed here (the
 * generic provider, a custom one, mistral, azure-openai) has none unless the route gives one.
 */
final class KeyShapes {

    private static final Pattern OPENAI = Pattern.compile("sk-\\S+");
    private static final Pattern GOOGLE = Pattern.compile("AIza\\S+");
    private static final Map<String, Pattern> BY_TYPE = Map.of(
            "openai", OPENAI,
            "anthropic", Pattern.compile("sk-ant-\\S+"),
            "gemini", GOOGLE,
            "gemini-openai", GOOGLE,
            "deepseek", OPENAI,
            "openrouter", Pattern.compile("sk-or-\\S+"),
            "groq", Pattern.compile("gsk_\\S+"),
            "xai", Pattern.compile("xai-\\S+"));

    private KeyShapes() {
    }

    static Optional<Pattern> of(String providerType) {
        return Optional.ofNullable(BY_TYPE.get(providerType));
    }
}
