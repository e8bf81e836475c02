package dev.keyfailover.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;

/**
 * What the failover engine needs to know of one upstream API.
 *
 * <p>Implementations must be thread-safe and cheap to call: every method but the factories'
 * runs on the request path. They never log or return a key in clear text.
 *
 * <p>A minimal custom provider implements {@link #name()}, {@link #credentialHeaders()},
 * {@link #applyKey} and {@link #exhaustedResponse}; the rest has sensible defaults.
 *
 * <p>Request headers play three roles, kept apart (behaviour.md §5): the headers a pool key
 * travels in ({@link #keyHeaders()}), every header in which the API takes a credential
 * ({@link #credentialHeaders()}), and the headers whose presence makes a request BYOK
 * ({@link #byokHeaders()}). The engine masks all of them in every dump and log line, and on a pool
 * request takes all of them off the client's request before the key is put on.
 */
public interface Provider {

    /** The provider's name, as configured: used in logs, dump folders and error messages. */
    String name();

    /**
     * Every request header in which this API accepts a credential, such as {@code Authorization}
     * or {@code X-Api-Key}: on a pool request each is taken off the client's request, so that a
     * client credential never travels along with a pool key; each is masked wherever the proxy
     * writes a request down.
     */
    List<String> credentialHeaders();

    /**
     * The headers {@link #applyKey} puts a pool key in. Always taken off the client's request
     * before the key is put on and always masked, whatever {@link #byokHeaders()} says. The default,
     * {@link #credentialHeaders()}, is safe for any provider; name the one header when there are
     * several credential headers.
     */
    default List<String> keyHeaders() {
        return credentialHeaders();
    }

    /**
     * The headers whose presence makes a request BYOK (bring your own key): sent once, untouched.
     * Configurable per route with {@code byokHeaders} ({@link ProviderSettings#byokHeaders}); the
     * default is {@link #credentialHeaders()}. These are masked too.
     */
    default List<String> byokHeaders() {
        return credentialHeaders();
    }

    /**
     * Whether the outgoing request already carries the user's own credential (bring your own key).
     * Such a request is sent once, untouched: no pool key, no marking, no failover. The default is
     * true when any of the {@link #byokHeaders()} is present.
     */
    default boolean isByok(HttpRequest request) {
        for (String header : byokHeaders()) {
            if (request.containsHeader(header)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Readies a BYOK request for upstream, on the one copy that is sent: the client's own credential
     * may move to where the API prefers it, so that no URL carries it (Gemini takes a key in
     * {@code ?key=} or in {@code x-goog-api-key}; the URL would be written down by HttpClient's own
     * request-line log). The default leaves the request as the client sent it.
     *
     * @return whether the request was changed
     */
    default boolean moveOwnKey(HttpRequest request) {
        return false;
    }

    /**
     * The credentials a client sent where this API's SDKs put their key, as the SDK wrote them
     * without a {@code Bearer} scheme (behaviour.md §13): the values of the {@link #byokHeaders()}
     * and {@link #credentialHeaders()}, in that order. The engine compares them with the route's
     * client tokens and, under {@code byok=auto}, with the provider's key shape; it never logs them.
     * Override when the API takes a credential elsewhere too (Gemini's {@code ?key=}).
     */
    default List<String> clientCredentials(HttpRequest request) {
        Set<String> names = new LinkedHashSet<>();
        for (String header : byokHeaders()) {
            names.add(header.toLowerCase(Locale.ROOT));
        }
        for (String header : credentialHeaders()) {
            names.add(header.toLowerCase(Locale.ROOT));
        }
        List<String> credentials = new ArrayList<>();
        for (String name : names) {
            for (Header header : request.getHeaders(name)) {
                String value = header.getValue() == null ? "" : header.getValue().trim();
                if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    value = value.substring(7).trim();
                }
                if (!value.isEmpty()) {
                    credentials.add(value);
                }
            }
        }
        return credentials;
    }

    /**
     * Puts a pool key on an outgoing request (one attempt's own copy; the client's original is
     * never passed here), e.g. {@code Authorization: Bearer <key>}.
     */
    void applyKey(HttpRequest request, String key);

    /** The failover rules of this provider (behaviour.md §3); defaults unless configured. */
    default FailoverRules failoverRules() {
        return FailoverRules.defaults();
    }

    /**
     * Judges an upstream answer for the key that was used. Only status and headers may be read:
     * the body still belongs to the client. The default applies {@link #failoverRules()}.
     */
    default KeyVerdict judge(HttpResponse response, Instant now) {
        return failoverRules().judge(response, now);
    }

    /**
     * Judges an upstream answer with the start of its error body, which the engine reads for the
     * statuses {@link FailoverRules#readsErrorBody} names (from a copy: the client still gets the
     * whole answer). This is the method the engine calls. The default sharpens
     * {@link #judge(HttpResponse, Instant)} with {@link FailoverRules#refine}: an empty balance,
     * a request too large for the key's tier.
     *
     * @param errorBody the first 64 KiB of the body as text; {@code null} when not read
     */
    default KeyVerdict judge(HttpResponse response, String errorBody, Instant now) {
        return failoverRules().refine(judge(response, now), response.getCode(), errorBody);
    }

    /**
     * Where a request names its model, for the pool's per-model state (behaviour.md §9): by
     * default the top-level {@code "model"} of a JSON body, else the path segment after
     * {@code /deployments/} or {@code /models/}.
     */
    default ModelSource modelSource() {
        return ModelSource.DEFAULT;
    }

    /**
     * What an answer says is left of the key's rate limits (behaviour.md §10), read on every answer
     * to a pool key. The default reads OpenAI's and Anthropic's headers ({@link RateLimits#read});
     * return {@link RateLimits#NONE} to ignore them.
     */
    default RateLimits rateLimits(HttpResponse response, Instant now) {
        return RateLimits.read(response, now);
    }

    /**
     * Answer headers that name the account behind a pool key, dropped from answers to pool
     * requests (a route's {@code dropResponseHeaders} replaces this list). Default: OpenAI's
     * organisation and project, Anthropic's organisation, and cookies.
     */
    default List<String> accountHeaders() {
        return List.of("openai-organization", "openai-project", "anthropic-organization-id", "set-cookie");
    }

    /**
     * Turns key-pool exhaustion into an error response in this API's format: 429 with
     * {@code Retry-After} for {@link KeyPoolExhaustion.Kind#RATE_LIMITED}, 502 for
     * {@link KeyPoolExhaustion.Kind#AUTHENTICATION_FAILED}. Returning {@code null} makes the
     * engine answer with a generic JSON 502.
     */
    ClassicHttpResponse exhaustedResponse(KeyPoolExhaustion error);

    /**
     * Turns an error the proxy itself produces (body too large, upstream unreachable, timeout)
     * into a response in this API's format, with {@link ProxyFailure#status()}. Returning
     * {@code null} (the default) makes the engine answer with a generic JSON error.
     *
     * @param failure what went wrong
     * @param message a sentence for the client, without any key or internal detail
     */
    default ClassicHttpResponse failureResponse(ProxyFailure failure, String message) {
        return null;
    }
}
