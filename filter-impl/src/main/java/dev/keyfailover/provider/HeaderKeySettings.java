package dev.keyfailover.provider;

import java.util.ArrayList;
import java.util.List;

import dev.keyfailover.api.ErrorFormat;
import dev.keyfailover.api.ModelSource;
import dev.keyfailover.api.ProviderSettings;

/**
 * The settings of a provider whose key travels in one header, over that provider's own defaults:
 * {@code authHeader}, {@code authScheme} (default {@code Bearer} for {@code Authorization}, none for
 * any other header; {@code none} for none), {@code errorFormat}, {@code byokHeaders} and the
 * failover rules ({@code on403}, {@code failoverOn}). The generic provider has the plainest
 * defaults; each preset of behaviour.md §15 its own.
 *
 * @param authHeader the header a pool key travels in, unless {@code authHeader} says otherwise
 * @param otherCredentials further headers the API takes a credential in (stripped, masked, BYOK)
 * @param errorFormat the shape of the proxy's own answers, unless {@code errorFormat} says otherwise
 * @param modelSource where a request names its model
 * @param judge what an answer means for its key
 */
record HeaderKeySettings(String authHeader, List<String> otherCredentials, ErrorFormat errorFormat,
                         ModelSource modelSource, AnswerJudge judge) {

    /** {@code Authorization: Bearer <key>}, OpenAI's error shape and judgement: the generic provider's defaults. */
    static final HeaderKeySettings BEARER = new HeaderKeySettings("Authorization", List.of(), ErrorFormat.OPENAI,
            ModelSource.DEFAULT, AnswerJudge.RULES);

    HeaderKeySettings {
        otherCredentials = List.copyOf(otherCredentials);
    }

    HeaderKeySettings withAuthHeader(String header, List<String> others) {
        return new HeaderKeySettings(header, others, errorFormat, modelSource, judge);
    }

    HeaderKeySettings withModelSource(ModelSource source) {
        return new HeaderKeySettings(authHeader, otherCredentials, errorFormat, source, judge);
    }

    HeaderKeySettings withJudge(AnswerJudge answers) {
        return new HeaderKeySettings(authHeader, otherCredentials, errorFormat, modelSource, answers);
    }

    /**
     * The provider these defaults and the route's settings make.
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    HeaderKeyProvider provider(ProviderSettings settings) {
        List<String> authHeaders = settings.headerNames("authHeader", List.of(authHeader));
        if (authHeaders.size() != 1) {
            throw new IllegalArgumentException("authHeader must name one header, not '"
                    + settings.property("authHeader", "") + "'");
        }
        String header = authHeaders.get(0);
        String defaultScheme = header.equalsIgnoreCase("Authorization") ? "Bearer" : "none";
        String scheme = settings.property("authScheme", defaultScheme);
        if (!scheme.matches("[A-Za-z0-9._~+/-]+")) {
            throw new IllegalArgumentException("authScheme must be one token such as 'Bearer', not '" + scheme + "'");
        }
        ErrorFormat format = settings.property("errorFormat").map(ErrorFormat::parse).orElse(errorFormat);
        List<String> credentials = new ArrayList<>(List.of(header));
        for (String other : otherCredentials) {
            if (credentials.stream().noneMatch(other::equalsIgnoreCase)) {
                credentials.add(other);
            }
        }
        return new HeaderKeyProvider(settings.name(), header, scheme.equalsIgnoreCase("none") ? null : scheme,
                credentials, settings.byokHeaders(credentials), format, settings.failoverRules(), modelSource, judge);
    }
}
