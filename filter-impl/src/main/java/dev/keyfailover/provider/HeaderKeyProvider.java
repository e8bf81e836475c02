package dev.keyfailover.provider;

import java.time.Instant;
import java.util.List;

import dev.keyfailover.api.ErrorFormat;
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
 * A provider whose key travels in one header, optionally after a scheme
 * ({@code Authorization: Bearer <key>}, {@code X-Api-Key: <key>}, {@code api-key: <key>}): the
 * built-in OpenAI and Anthropic providers, the generic one and the OpenAI-compatible presets
 * (behaviour.md §15) are all this class, the presets with their own model source and judgement.
 */
final class HeaderKeyProvider implements Provider {

    private final String name;
    private final String authHeader;
    private final String authPrefix;
    private final List<String> credentialHeaders;
    private final List<String> byokHeaders;
    private final ErrorFormat errorFormat;
    private final FailoverRules rules;
    private final ModelSource modelSource;
    private final AnswerJudge judge;

    /**
     * @param authHeader the header the pool key travels in
     * @param authScheme e.g. {@code Bearer}; {@code null} or empty for the bare key
     * @param credentialHeaders every header the API takes a credential in ({@code authHeader} among them)
     * @param byokHeaders headers whose presence makes a request BYOK (the route's {@code byokHeaders})
     */
    HeaderKeyProvider(String name, String authHeader, String authScheme, List<String> credentialHeaders,
                      List<String> byokHeaders, ErrorFormat errorFormat, FailoverRules rules) {
        this(name, authHeader, authScheme, credentialHeaders, byokHeaders, errorFormat, rules, ModelSource.DEFAULT,
                AnswerJudge.RULES);
    }

    /**
     * @param modelSource where a request names its model (behaviour.md §9)
     * @param judge what an answer means for its key, error body included
     */
    HeaderKeyProvider(String name, String authHeader, String authScheme, List<String> credentialHeaders,
                      List<String> byokHeaders, ErrorFormat errorFormat, FailoverRules rules, ModelSource modelSource,
                      AnswerJudge judge) {
        this.name = name;
        this.authHeader = authHeader;
        this.authPrefix = authScheme == null || authScheme.isBlank() ? "" : authScheme.trim() + " ";
        this.credentialHeaders = List.copyOf(credentialHeaders);
        this.byokHeaders = List.copyOf(byokHeaders);
        this.errorFormat = errorFormat;
        this.rules = rules;
        this.modelSource = modelSource;
        this.judge = judge;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> credentialHeaders() {
        return credentialHeaders;
    }

    @Override
    public List<String> keyHeaders() {
        return List.of(authHeader);
    }

    @Override
    public List<String> byokHeaders() {
        return byokHeaders;
    }

    @Override
    public void applyKey(HttpRequest request, String key) {
        request.setHeader(authHeader, authPrefix + key);
    }

    @Override
    public FailoverRules failoverRules() {
        return rules;
    }

    @Override
    public KeyVerdict judge(HttpResponse response, String errorBody, Instant now) {
        return judge.judge(rules, response, errorBody, now);
    }

    @Override
    public ModelSource modelSource() {
        return modelSource;
    }

    @Override
    public ClassicHttpResponse exhaustedResponse(KeyPoolExhaustion error) {
        return errorFormat.exhausted(error);
    }

    @Override
    public ClassicHttpResponse failureResponse(ProxyFailure failure, String message) {
        return errorFormat.failure(failure, message);
    }

    @Override
    public String toString() {
        return "Provider[" + name + ", key in " + authHeader + ", errors as " + errorFormat + ", " + rules + "]";
    }
}
