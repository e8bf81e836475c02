package dev.keyfailover.chain;

import dev.keyfailover.api.KeyVerdict;
import io.opentelemetry.api.common.AttributeKey;

/**
 * The attributes of our spans (behaviour.md §17): the GenAI and HTTP semantic conventions' and
 * ours. Values are names, numbers and masked hints only: never a key, a client token or a prompt.
 */
final class TraceAttributes {

    static final AttributeKey<String> GEN_AI_PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> GEN_AI_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("keyfailover.route");
    static final AttributeKey<String> KEY_HINT = AttributeKey.stringKey("keyfailover.key.hint");
    static final AttributeKey<String> KEY_SOURCE = AttributeKey.stringKey("keyfailover.key.source");
    static final AttributeKey<String> CLIENT = AttributeKey.stringKey("keyfailover.client");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("keyfailover.attempt");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("keyfailover.attempts");
    static final AttributeKey<String> VERDICT = AttributeKey.stringKey("keyfailover.verdict");
    static final AttributeKey<Boolean> TRANSIENT = AttributeKey.booleanKey("keyfailover.transient");
    static final AttributeKey<Boolean> EXHAUSTED = AttributeKey.booleanKey("keyfailover.pool.exhausted");

    private TraceAttributes() {
    }

    /** {@code keyfailover.verdict}: what the answer meant for its key. */
    static String verdict(KeyVerdict.Action action) {
        return switch (action) {
            case ACCEPT -> "served";
            case COOL_DOWN -> "cooling";
            case DISABLE -> "disabled";
            case EXHAUST -> "exhausted";
            case SKIP -> "skipped";
        };
    }

    /** {@code keyfailover.key.source}. */
    static String keySource(ExchangeView.KeySource source) {
        return switch (source) {
            case POOL -> "pool";
            case CLIENT -> "client";
            case NONE -> "none";
            case UNDECIDED -> "undecided";
        };
    }
}
