package dev.keyfailover.provider;

import java.net.URI;
import java.util.Optional;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;

/**
 * The OpenAI-compatible presets of behaviour.md §15: {@code groq}, {@code mistral}, {@code deepseek},
 * {@code openrouter} and {@code xai}. Each is the generic provider with {@code Authorization: Bearer},
 * OpenAI's error shape and judgement (402 is EXHAUSTED, OpenAI's {@code x-ratelimit-*} headers are
 * read), and a base URL preset for routes that give none: the address an OpenAI SDK is given for
 * that API, without its trailing {@code /v1}, so clients call {@code <route>/v1/chat/completions}.
 * Every default is overridable as for the generic provider.
 */
public final class OpenAiCompatibleProviderFactories {

    private OpenAiCompatibleProviderFactories() {
    }

    private static Provider create(ProviderSettings settings) {
        return HeaderKeySettings.BEARER.provider(settings);
    }

    /** {@code groq}: {@code https://api.groq.com/openai}. */
    public static final class Groq implements ProviderFactory {
        @Override
        public String type() {
            return "groq";
        }

        @Override
        public Optional<URI> defaultBaseUrl() {
            return Optional.of(URI.create("https://api.groq.com/openai"));
        }

        @Override
        public Provider create(ProviderSettings settings) {
            return OpenAiCompatibleProviderFactories.create(settings);
        }
    }

    /** {@code mistral}: {@code https://api.mistral.ai}. */
    public static final class Mistral implements ProviderFactory {
        @Override
        public String type() {
            return "mistral";
        }

        @Override
        public Optional<URI> defaultBaseUrl() {
            return Optional.of(URI.create("https://api.mistral.ai"));
        }

        @Override
        public Provider create(ProviderSettings settings) {
            return OpenAiCompatibleProviderFactories.create(settings);
        }
    }

    /** {@code deepseek}: {@code https://api.deepseek.com}; an empty balance is its 402 "Insufficient Balance". */
    public static final class DeepSeek implements ProviderFactory {
        @Override
        public String type() {
            return "deepseek";
        }

        @Override
        public Optional<URI> defaultBaseUrl() {
            return Optional.of(URI.create("https://api.deepseek.com"));
        }

        @Override
        public Provider create(ProviderSettings settings) {
            return OpenAiCompatibleProviderFactories.create(settings);
        }
    }

    /** {@code openrouter}: {@code https://openrouter.ai/api}; credits used up are its 402. */
    public static final class OpenRouter implements ProviderFactory {
        @Override
        public String type() {
            return "openrouter";
        }

        @Override
        public Optional<URI> defaultBaseUrl() {
            return Optional.of(URI.create("https://openrouter.ai/api"));
        }

        @Override
        public Provider create(ProviderSettings settings) {
            return OpenAiCompatibleProviderFactories.create(settings);
        }
    }

    /** {@code xai}: {@code https://api.x.ai}. */
    public static final class Xai implements ProviderFactory {
        @Override
        public String type() {
            return "xai";
        }

        @Override
        public Optional<URI> defaultBaseUrl() {
            return Optional.of(URI.create("https://api.x.ai"));
        }

        @Override
        public Provider create(ProviderSettings settings) {
            return OpenAiCompatibleProviderFactories.create(settings);
        }
    }
}
