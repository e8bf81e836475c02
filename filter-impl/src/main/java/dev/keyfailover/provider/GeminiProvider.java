package dev.keyfailover.provider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.keyfailover.api.FailoverRules;
import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.ModelSource;
import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Gemini's native API (behaviour.md §15). A pool key travels only in {@code x-goog-api-key}, never
 * in the URL. A client's {@code ?key=} is its credential, as its {@code x-goog-api-key} is: with
 * {@code byok=allow} the request is BYOK and goes untouched; otherwise the parameter is taken off
 * each attempt's URL before the pool key goes on (the headers are stripped by the engine, §5). The
 * model is the path's {@code /models/{model}:{method}}; answers are judged by {@link GeminiJudge};
 * the proxy's own answers are Google-shaped ({@link GeminiAnswers}).
 */
final class GeminiProvider implements Provider {

    static final String KEY_HEADER = "x-goog-api-key";
    /** Every header Gemini takes a credential in: the API key, or an OAuth token. */
    static final List<String> CREDENTIALS = List.of(KEY_HEADER, "Authorization");
    /** The model in the path only: Gemini's request bodies do not name it. */
    static final ModelSource MODEL_IN_PATH = new ModelSource(null, List.of("/models/"));

    private final String name;
    private final List<String> byokHeaders;
    private final FailoverRules rules;

    GeminiProvider(String name, List<String> byokHeaders, FailoverRules rules) {
        this.name = name;
        this.byokHeaders = List.copyOf(byokHeaders);
        this.rules = rules;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> credentialHeaders() {
        return CREDENTIALS;
    }

    @Override
    public List<String> keyHeaders() {
        return List.of(KEY_HEADER);
    }

    @Override
    public List<String> byokHeaders() {
        return byokHeaders;
    }

    /** BYOK when a BYOK header is present, or the URL carries the client's {@code ?key=}. */
    @Override
    public boolean isByok(HttpRequest request) {
        return Provider.super.isByok(request) || KeyQueryParameter.isOn(request);
    }

    /** A client's own {@code ?key=} travels in {@code x-goog-api-key}, as a pool key does: never in a URL. */
    @Override
    public boolean moveOwnKey(HttpRequest request) {
        String key = KeyQueryParameter.value(request);
        if (key == null) {
            return false;
        }
        KeyQueryParameter.strip(request);
        if (!request.containsHeader(KEY_HEADER)) {
            request.setHeader(KEY_HEADER, key);
        }
        return true;
    }

    /** The credential headers' values, then the client's {@code ?key=} values (behaviour.md §13). */
    @Override
    public List<String> clientCredentials(HttpRequest request) {
        List<String> query = KeyQueryParameter.values(request);
        if (query.isEmpty()) {
            return Provider.super.clientCredentials(request);
        }
        List<String> all = new ArrayList<>(Provider.super.clientCredentials(request));
        all.addAll(query);
        return all;
    }

    /** The client's {@code ?key=} off this attempt's URL, then the pool key in {@code x-goog-api-key}. */
    @Override
    public void applyKey(HttpRequest request, String key) {
        KeyQueryParameter.strip(request);
        request.setHeader(KEY_HEADER, key);
    }

    @Override
    public FailoverRules failoverRules() {
        return rules;
    }

    @Override
    public KeyVerdict judge(HttpResponse response, String errorBody, Instant now) {
        return GeminiJudge.INSTANCE.judge(rules, response, errorBody, now);
    }

    @Override
    public ModelSource modelSource() {
        return MODEL_IN_PATH;
    }

    @Override
    public ClassicHttpResponse exhaustedResponse(KeyPoolExhaustion error) {
        return GeminiAnswers.exhausted(error);
    }

    @Override
    public ClassicHttpResponse failureResponse(ProxyFailure failure, String message) {
        return GeminiAnswers.failure(failure, message);
    }

    @Override
    public String toString() {
        return "Provider[" + name + ", key in " + KEY_HEADER + ", errors as Google's, " + rules + "]";
    }
}
