package dev.keyfailover.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.keyfailover.api.HeaderNames;
import dev.keyfailover.pool.KeysCipher;
import dev.keyfailover.settings.AccessSettings;
import dev.keyfailover.settings.BodyLimits;
import dev.keyfailover.settings.ClientSettings;
import dev.keyfailover.settings.FallbackSettings;
import dev.keyfailover.settings.InboundLimits;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.settings.Require;
import dev.keyfailover.settings.RetrySettings;
import dev.keyfailover.settings.UsageSettings;
import dev.keyfailover.settings.StateStoreSettings;

/**
 * The parsed configuration of one proxy route (a servlet or filter): every init-param checked,
 * with context-params {@code keyfailover.<name>} as shared defaults. Errors name the route, the
 * parameter and what is wrong, never a key.
 */
public final class RouteConfig {

    private final String providerType;
    private final String providerName;
    private final String baseUrl;
    private final List<String> keys;
    private final Optional<Path> keysFile;
    private final Path dumpDir;
    private final AccessSettings access;
    private final boolean exposeKeyHint;
    private final boolean propagateTraceContext;
    private final StateStoreSettings stateStore;
    private final Optional<KeysCipher> keysCipher;
    private final BodyLimits bodyLimits;
    private final ClientSettings client;
    private final PoolSettings pool;
    private final InboundLimits inbound;
    private final RetrySettings retries;
    private final UsageSettings usage;
    private final List<String> clientAuthHeaders;
    private final Optional<List<String>> dropResponseHeaders;
    private final FallbackSettings fallback;
    private final Map<String, String> properties;

    private RouteConfig(ParameterReader reader) throws ConfigException {
        this.providerType = reader.required("provider").toLowerCase(Locale.ROOT);
        this.providerName = reader.optional("name").orElse(reader.routeName());
        this.baseUrl = reader.parse("baseUrl", RouteConfig::baseUrl)
                .or(() -> ProviderFactories.defaultBaseUrl(providerType).map(RouteConfig::baseUrl))
                .orElseThrow(() -> reader.error("baseUrl", "is required"));
        this.keys = KeyLists.read(reader);
        this.keysFile = reader.optional("keysFile").map(Paths::get);
        this.dumpDir = reader.optional("dumpDir").map(Paths::get).orElse(null);
        this.access = AccessConfig.read(reader, providerType);
        BodyLimits limits = BodyLimits.defaults();
        long maxBody = reader.parse("maxBodyBytes", value -> Require.atLeastOne(Values.bytes(value), "maxBodyBytes", "byte"))
                .orElse(limits.maxBytes());
        long threshold = reader.parse("memoryThreshold", Values::bytes).orElse(limits.memoryThreshold());
        Path spill = reader.optional("spillDir").map(Paths::get).orElse(null);
        this.bodyLimits = new BodyLimits(Math.min(threshold, maxBody), maxBody, spill);
        this.client = ClientConfig.read(reader);
        this.pool = PoolConfig.read(reader);
        this.retries = RetryConfig.read(reader);
        this.usage = UsageConfig.read(reader);
        this.exposeKeyHint = reader.parse("exposeKeyHint", Values::bool).orElse(false);
        this.propagateTraceContext = reader.parse("propagateTraceContext", Values::bool).orElse(false);
        this.stateStore = StateStoreConfig.read(reader);
        this.keysCipher = reader.parse("keysSecret", KeysCipher::of);
        OptionalInt maxStreams = reader.parse("maxConcurrentStreams", Values::positiveInt)
                .map(OptionalInt::of).orElse(OptionalInt.empty());
        Duration clientIdle = reader.parse("clientIdleTimeout", value -> Require.positive(Values.duration(value),
                "clientIdleTimeout")).orElse(InboundLimits.DEFAULT_CLIENT_IDLE_TIMEOUT);
        this.inbound = new InboundLimits(maxStreams, clientIdle);
        this.clientAuthHeaders = reader.parse("clientAuthHeaders", HeaderNames::parse).orElse(List.of());
        this.dropResponseHeaders = reader.parse("dropResponseHeaders", value -> value.trim().equalsIgnoreCase("none")
                ? List.<String>of() : HeaderNames.parse(value));
        this.fallback = FallbackConfig.read(reader, providerName, providerType);
        this.properties = reader.all();
    }

    /**
     * Parses a route's configuration.
     *
     * @param where e.g. {@code servlet 'openai'}, used in every error message
     */
    public static RouteConfig parse(String where, String routeName, ParameterSource parameters,
                                    Placeholders placeholders) throws ConfigException {
        return new RouteConfig(new ParameterReader(where, routeName, parameters, placeholders));
    }

    public String providerType() {
        return providerType;
    }

    public String providerName() {
        return providerName;
    }

    /** An absolute http(s) URL, or a path starting with {@code /} for an upstream on this same server and context. */
    public String baseUrl() {
        return baseUrl;
    }

    public List<String> keys() {
        return keys;
    }

    /** The watched {@code keysFile} the keys came from (behaviour.md §14), or empty when they came from {@code keys}. */
    public Optional<Path> keysFile() {
        return keysFile;
    }

    /** The dump directory, or {@code null} for no dump. */
    public Path dumpDir() {
        return dumpDir;
    }

    /** {@code byok=allow}: a request carrying its own provider credential is sent once with it. */
    public boolean byokAllowed() {
        return access.byok() == AccessSettings.Byok.ALLOW;
    }

    /** Who may use the pool: client tokens, whose credential is the client's own key (behaviour.md §13). */
    public AccessSettings access() {
        return access;
    }

    /** {@code exposeKeyHint=true}: answers to pool requests name the key that served, masked. */
    public boolean exposeKeyHint() {
        return exposeKeyHint;
    }

    /** {@code propagateTraceContext=true}: each attempt sends its span's W3C trace context upstream (§17). */
    public boolean propagateTraceContext() {
        return propagateTraceContext;
    }

    /** Where the route's key states live. */
    public StateStoreSettings stateStore() {
        return stateStore;
    }

    /** The cipher of keys added at run time on their way to other nodes ({@code keysSecret}, behaviour.md §14). */
    public Optional<KeysCipher> keysCipher() {
        return keysCipher;
    }

    /** How bodies are buffered, and the largest accepted. */
    public BodyLimits bodyLimits() {
        return bodyLimits;
    }

    public ClientSettings client() {
        return client;
    }

    public PoolSettings pool() {
        return pool;
    }

    /** Usage reading (behaviour.md §16). */
    public UsageSettings usage() {
        return usage;
    }

    /** How transient failures of pool requests are retried (behaviour.md §18). */
    public RetrySettings retries() {
        return retries;
    }

    /** How many requests the route serves at once, and how long a client may stall it. */
    public InboundLimits inbound() {
        return inbound;
    }

    /** Headers that authenticate the client to the proxy: never forwarded, never read as BYOK. */
    public List<String> clientAuthHeaders() {
        return clientAuthHeaders;
    }

    /**
     * Upstream answer headers dropped when the request used a pool key (kept for BYOK requests),
     * because they tell the client whose account the key belongs to; empty when not configured
     * (then the provider's own list applies).
     */
    public Optional<List<String>> dropResponseHeaders() {
        return dropResponseHeaders;
    }

    /** The fallback routes, when to turn to them, the breaker, and the models as a fallback (behaviour.md §18). */
    public FallbackSettings fallback() {
        return fallback;
    }

    /** Every resolved parameter, for the provider factory. */
    public Map<String, String> properties() {
        return properties;
    }

    private static String baseUrl(String value) {
        String trimmed = value.trim();
        if (trimmed.startsWith("/")) {
            return stripTrailingSlash(trimmed);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + trimmed + "' is not an absolute http(s) URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not carry a query, a fragment or user info");
        }
        return stripTrailingSlash(trimmed);
    }

    private static String stripTrailingSlash(String value) {
        String result = value;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
