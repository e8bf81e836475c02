package dev.keyfailover.chain;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keyfailover.api.Provider;
import dev.keyfailover.pool.KeyHint;

/**
 * Masks credentials in what the proxy writes down (dumps, logs): credential header values become
 * hints ({@code Bearer sk-p…9xQa}) and key-like query parameters are masked.
 */
public final class CredentialMasker {

    private static final Set<String> ALWAYS_MASKED = Set.of("authorization", "proxy-authorization", "x-api-key",
            "api-key", "x-goog-api-key", "cookie", "set-cookie", "ocp-apim-subscription-key");
    private static final Pattern AUTH_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9_-]*)\\s+(\\S.*)$");
    private static final Pattern KEY_QUERY_PARAM = Pattern.compile(
            "([?&](?:key|api[-_]?key|access_token|token)=)([^&#]*)", Pattern.CASE_INSENSITIVE);

    private final Set<String> maskedHeaders;

    private CredentialMasker(Collection<String> credentialHeaders) {
        Set<String> names = new TreeSet<>(ALWAYS_MASKED);
        names.addAll(credentialHeaders);
        this.maskedHeaders = Set.copyOf(names);
    }

    /**
     * The masker of a provider's route: its key headers, credential headers and BYOK headers are
     * masked besides the usual ones, whatever the route's {@code byokHeaders} says.
     */
    public static CredentialMasker of(Provider provider) {
        return new CredentialMasker(CredentialHeaders.of(provider));
    }

    /** The header value as it may be written down. */
    public String headerValue(String name, String value) {
        if (value == null || !maskedHeaders.contains(name.toLowerCase(Locale.ROOT))) {
            return value;
        }
        Matcher scheme = AUTH_SCHEME.matcher(value.trim());
        if (scheme.matches()) {
            return scheme.group(1) + " " + KeyHint.of(scheme.group(2));
        }
        return KeyHint.of(value.trim());
    }

    /** The URI with key-like query parameters masked. */
    public String uri(String uri) {
        Matcher matcher = KEY_QUERY_PARAM.matcher(uri);
        StringBuilder masked = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(masked, Matcher.quoteReplacement(matcher.group(1) + KeyHint.of(matcher.group(2))));
        }
        matcher.appendTail(masked);
        return masked.toString();
    }
}
