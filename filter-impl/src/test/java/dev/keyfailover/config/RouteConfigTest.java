package dev.keyfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import dev.keyfailover.settings.AccessSettings;
import dev.keyfailover.settings.BodyLimits;
import dev.keyfailover.settings.ClientSettings;
import dev.keyfailover.settings.InboundLimits;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.settings.RetrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3 "Configuration" and behaviour.md §1: every init-param parsed and checked; every invalid
 * value is a {@link ConfigException} naming the route, the parameter and the problem, never a key.
 */
class RouteConfigTest {

    private static final String WHERE = "servlet 'openai-route'";
    private static final String KEY_A = "sk-proj-SECRET-AAAA-1111";
    private static final String KEY_B = "sk-proj-SECRET-BBBB-2222";
    private static final String KEY_C = "sk-proj-SECRET-CCCC-3333";

    private final Map<String, String> own = new LinkedHashMap<>();
    private final Map<String, String> context = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> sys = new LinkedHashMap<>();

    private void validBase() {
        own.put("provider", "openai");
        own.put("baseUrl", "https://api.openai.com/v1");
    }

    private RouteConfig parse() throws ConfigException {
        ParameterSource source = new ParameterSource(own::get, Collections.enumeration(own.keySet()),
                context::get, Collections.enumeration(context.keySet()));
        return RouteConfig.parse(WHERE, "openai-route", source, new Placeholders(env::get, sys::get));
    }

    /** Parses, expects a ConfigException naming the route and the parameter, and never any key. */
    private String failure(String parameter) {
        ConfigException error = catchThrowableOfType(ConfigException.class, this::parse);
        assertThat(error).as("a ConfigException for '%s'", parameter).isNotNull();
        assertThat(error.getMessage())
                .startsWith(WHERE + ":")
                .contains(parameter)
                .doesNotContain(KEY_A, KEY_B, KEY_C, "SECRET");
        return error.getMessage();
    }

    // ---- valid configurations ----

    @Test
    void minimalConfigurationTakesTheDefaults() throws ConfigException {
        validBase();

        RouteConfig config = parse();

        assertThat(config.providerType()).isEqualTo("openai");
        assertThat(config.providerName()).isEqualTo("openai-route");
        assertThat(config.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(config.keys()).isEmpty();
        assertThat(config.dumpDir()).isNull();
        assertThat(config.byokAllowed()).isFalse();
        assertThat(config.access().byok()).as("behaviour.md §13").isEqualTo(AccessSettings.Byok.AUTO);
        assertThat(config.access().keyShape()).map(Object::toString).hasValue("sk-\\S+");
        assertThat(config.access().tokens()).isEmpty();
        assertThat(config.access().authFailureLimit()).isEqualTo(20);
        assertThat(config.bodyLimits().maxBytes()).isEqualTo(BodyLimits.DEFAULT_MAX_BYTES);
        assertThat(config.client()).isEqualTo(ClientSettings.defaults());
        assertThat(config.pool()).isEqualTo(PoolSettings.defaults());
        assertThat(config.inbound().maxConcurrentStreams()).isEmpty();
        assertThat(config.inbound().clientIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.clientAuthHeaders()).isEmpty();
        assertThat(config.dropResponseHeaders()).as("the provider's own list applies").isEmpty();
        assertThat(config.retries()).isEqualTo(RetrySettings.defaults());
    }

    @Test
    void transientRetriesTakeTheDefaultsOfSection18() throws ConfigException {
        validBase();

        RetrySettings retries = parse().retries();

        assertThat(retries.retries()).isEqualTo(2);
        assertThat(retries.transientStatuses()).containsExactlyInAnyOrder(500, 502, 503, 504, 529);
        assertThat(retries.backoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(retries.maxRetryWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(retries.requestBudget()).isEmpty();
    }

    @Test
    void transientRetriesAreParsed() throws ConfigException {
        validBase();
        own.put("retries", "5");
        own.put("transientStatuses", " 503 , 529,408,");
        own.put("retryBackoff", "250ms");
        own.put("maxRetryWait", "PT30S");
        own.put("requestBudget", "2m");

        RetrySettings retries = parse().retries();

        assertThat(retries).isEqualTo(new RetrySettings(5, Set.of(408, 503, 529), Duration.ofMillis(250),
                Duration.ofSeconds(30), Optional.of(Duration.ofMinutes(2))));
    }

    @Test
    void retriesZeroTransientStatusesNoneAndRequestBudgetNoneTurnThemOff() throws ConfigException {
        validBase();
        own.put("retries", "0");
        own.put("transientStatuses", "none");
        own.put("requestBudget", "NONE");
        own.put("retryBackoff", "0ms");
        own.put("maxRetryWait", "0s");

        RetrySettings retries = parse().retries();

        assertThat(retries.retries()).isZero();
        assertThat(retries.transientStatuses()).isEmpty();
        assertThat(retries.requestBudget()).isEmpty();
        assertThat(retries.backoff()).isZero();
        assertThat(retries.maxRetryWait()).isZero();
    }

    @Test
    void retrySettingsMayComeFromContextDefaults() throws ConfigException {
        validBase();
        context.put("keyfailover.retries", "1");
        context.put("keyfailover.requestBudget", "${env:BUDGET:-45s}");

        RetrySettings retries = parse().retries();

        assertThat(retries.retries()).isEqualTo(1);
        assertThat(retries.requestBudget()).hasValue(Duration.ofSeconds(45));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "11", "two", "1.5", "2 retries"})
    void badRetries(String value) {
        validBase();
        own.put("retries", value);

        assertThat(failure("'retries'")).containsAnyOf("from 0 to 10", "between 0 and 10").contains(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5xx", "200", "503;529", "600", "399", "50 3", "-503"})
    void badTransientStatuses(String value) {
        validBase();
        own.put("transientStatuses", value);

        assertThat(failure("'transientStatuses'")).containsAnyOf("is not a status", "between 400 and 599");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-1s", "PT-1S", "2m", "1h"})
    void badRetryBackoff(String value) {
        validBase();
        own.put("retryBackoff", value);

        assertThat(failure("'retryBackoff'")).containsAnyOf("is not a duration", "must not be negative",
                "must be at most 1m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"later", "PT-5S"})
    void badMaxRetryWait(String value) {
        validBase();
        own.put("maxRetryWait", value);

        assertThat(failure("'maxRetryWait'")).containsAnyOf("is not a duration", "must not be negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "PT0S", "forever", "-1m", "2d", "never"})
    void badRequestBudget(String value) {
        validBase();
        own.put("requestBudget", value);

        assertThat(failure("'requestBudget'")).containsAnyOf("is not a duration", "must be a positive duration",
                "must be at most 24h");
    }

    @Test
    void dropResponseHeadersTakesAListOrNone() throws ConfigException {
        validBase();
        own.put("dropResponseHeaders", "X-Team, openai-organization");
        assertThat(parse().dropResponseHeaders()).contains(List.of("X-Team", "openai-organization"));

        own.put("dropResponseHeaders", "none");
        assertThat(parse().dropResponseHeaders()).contains(List.of());

        own.put("dropResponseHeaders", "bad header");
        assertThatThrownBy(this::parse).isInstanceOf(ConfigException.class)
                .hasMessageContaining("parameter 'dropResponseHeaders'");
    }

    @Test
    void providerTypeIsCaseInsensitiveAndNameMayBeSet() throws ConfigException {
        validBase();
        own.put("provider", " OpenAI ");
        own.put("name", "primary");

        RouteConfig config = parse();

        assertThat(config.providerType()).isEqualTo("openai");
        assertThat(config.providerName()).isEqualTo("primary");
    }

    @Test
    void keysSeparatedByCommasKeepTheirOrder() throws ConfigException {
        validBase();
        own.put("keys", KEY_A + ", " + KEY_B + " ," + KEY_C);

        assertThat(parse().keys()).containsExactly(KEY_A, KEY_B, KEY_C);
    }

    @Test
    void keysSeparatedByNewlinesKeepTheirOrder() throws ConfigException {
        validBase();
        own.put("keys", "\n  " + KEY_A + "\n  " + KEY_B + "\r\n  " + KEY_C + "\n");

        assertThat(parse().keys()).containsExactly(KEY_A, KEY_B, KEY_C);
    }

    @Test
    void keysMayComeFromAPlaceholder() throws ConfigException {
        validBase();
        own.put("keys", "${env:OPENAI_API_KEYS}");
        env.put("OPENAI_API_KEYS", KEY_A + "," + KEY_B);

        assertThat(parse().keys()).containsExactly(KEY_A, KEY_B);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n", "${env:OPENAI_API_KEYS:-}"})
    void emptyKeysMeanNoPool(String value) throws ConfigException {
        validBase();
        own.put("keys", value);

        assertThat(parse().keys()).isEmpty();
    }

    @Test
    void keysFileHoldsOneKeyPerLineWithATrailingNewline(@TempDir Path dir) throws IOException, ConfigException {
        Path file = dir.resolve("openai-keys");
        Files.writeString(file, KEY_A + "\n" + KEY_B + "\n" + KEY_C + "\n", StandardCharsets.UTF_8);
        validBase();
        own.put("keysFile", file.toString());

        RouteConfig config = parse();

        assertThat(config.keys()).containsExactly(KEY_A, KEY_B, KEY_C);
        assertThat(config.properties()).containsEntry("keysFile", file.toString())
                .doesNotContainKey("keys");
        assertThat(config.properties().values()).noneMatch(value -> value.contains("SECRET"));
    }

    @Test
    void keysFileWithCrLfLinesAndAnEmptyFile(@TempDir Path dir) throws IOException, ConfigException {
        Path crlf = dir.resolve("crlf");
        Files.writeString(crlf, KEY_A + "\r\n" + KEY_B + "\r\n", StandardCharsets.UTF_8);
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n", StandardCharsets.UTF_8);
        validBase();

        own.put("keysFile", crlf.toString());
        assertThat(parse().keys()).containsExactly(KEY_A, KEY_B);

        own.put("keysFile", empty.toString());
        assertThat(parse().keys()).isEmpty();
    }

    @Test
    void contextParamsWithPrefixAreDefaultsAndOwnInitParamsWin() throws ConfigException {
        validBase();
        context.put("keyfailover.dumpDir", "/var/dump/shared");
        context.put("keyfailover.byok", "deny");
        context.put("keyfailover.maxConnections", "7");
        context.put("dumpDir", "/not/prefixed/ignored");
        context.put("unrelated.param", "x");

        RouteConfig shared = parse();
        assertThat(shared.dumpDir()).isEqualTo(Paths.get("/var/dump/shared"));
        assertThat(shared.byokAllowed()).isFalse();
        assertThat(shared.client().maxConnections()).isEqualTo(7);
        assertThat(shared.properties()).containsEntry("dumpDir", "/var/dump/shared")
                .doesNotContainKeys("keyfailover.dumpDir", "unrelated.param", "param");

        own.put("dumpDir", "/var/dump/own");
        own.put("byok", "allow");
        RouteConfig overridden = parse();
        assertThat(overridden.dumpDir()).isEqualTo(Paths.get("/var/dump/own"));
        assertThat(overridden.byokAllowed()).isTrue();
        assertThat(overridden.client().maxConnections()).isEqualTo(7);
        assertThat(overridden.properties()).containsEntry("dumpDir", "/var/dump/own");
    }

    @Test
    void contextDefaultsMayHoldTheProviderAndBaseUrl() throws ConfigException {
        context.put("keyfailover.provider", "anthropic");
        context.put("keyfailover.baseUrl", "${sys:anthropic.base:-https://api.anthropic.com}");

        RouteConfig config = parse();

        assertThat(config.providerType()).isEqualTo("anthropic");
        assertThat(config.baseUrl()).isEqualTo("https://api.anthropic.com");
    }

    @Test
    void emptyDumpDirFromAnUnsetVariableMeansNoDump() throws ConfigException {
        validBase();
        own.put("dumpDir", "${env:KEYFAILOVER_DUMP_DIR:-}");

        assertThat(parse().dumpDir()).isNull();

        env.put("KEYFAILOVER_DUMP_DIR", "/tmp/dumps");
        assertThat(parse().dumpDir()).isEqualTo(Paths.get("/tmp/dumps"));
    }

    @Test
    void byokAllowOrDenyIgnoringCase() throws ConfigException {
        validBase();
        own.put("byok", "DENY");
        assertThat(parse().byokAllowed()).isFalse();
        own.put("byok", " Allow ");
        assertThat(parse().byokAllowed()).isTrue();
    }

    @Test
    void numbersDurationsAndSizesAreParsed() throws ConfigException {
        validBase();
        own.put("maxBodyBytes", "8MiB");
        own.put("memoryThreshold", "64KiB");
        own.put("connectTimeout", "3s");
        own.put("responseTimeout", "PT2M");
        own.put("streamIdleTimeout", "90s");
        own.put("firstByteTimeout", "20s");
        own.put("connectionRequestTimeout", "750ms");
        own.put("maxConnections", "12");
        own.put("upstreamBufferSize", "4KiB");
        own.put("authRecheck", "30m");
        own.put("maxCooldown", "2h");
        own.put("maxWaitForKey", "5s");
        own.put("clientAuthHeaders", "Authorization, X-Proxy-Token");
        own.put("maxConcurrentStreams", "2000");
        own.put("clientIdleTimeout", "1500ms");

        RouteConfig config = parse();

        assertThat(config.bodyLimits().maxBytes()).isEqualTo(8L << 20);
        assertThat(config.bodyLimits().memoryThreshold()).isEqualTo(64L << 10);
        assertThat(config.client()).isEqualTo(new ClientSettings(Duration.ofSeconds(3), Duration.ofMinutes(2),
                Duration.ofSeconds(90), Optional.of(Duration.ofSeconds(20)), Duration.ofMillis(750), 12, 4096));
        assertThat(config.pool().authRecheck()).contains(Duration.ofMinutes(30));
        assertThat(config.pool().maxCooldown()).isEqualTo(Duration.ofHours(2));
        assertThat(config.pool().maxWaitForKey()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.clientAuthHeaders()).containsExactly("Authorization", "X-Proxy-Token");
        assertThat(config.inbound()).isEqualTo(new InboundLimits(OptionalInt.of(2000), Duration.ofMillis(1500)));
    }

    @Test
    void upstreamBuffersAreEightKibUnlessSet() throws ConfigException {
        validBase();
        assertThat(parse().client().bufferSize()).isEqualTo(8192);
    }

    @Test
    void upstreamBufferSizeOutsideOneKibToOneMibStopsTheRouteNamingIt() {
        validBase();
        own.put("upstreamBufferSize", "512");
        assertThatThrownBy(this::parse).isInstanceOf(ConfigException.class)
                .hasMessageContaining("parameter 'upstreamBufferSize' must be between 1024 and 1048576 bytes, not 512");
        own.put("upstreamBufferSize", "2MiB");
        assertThatThrownBy(this::parse).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'upstreamBufferSize' must be between");
        own.put("upstreamBufferSize", "lots");
        assertThatThrownBy(this::parse).isInstanceOf(ConfigException.class)
                .hasMessageContaining("upstreamBufferSize");
    }

    @Test
    void memoryThresholdNeverExceedsMaxBodyBytes() throws ConfigException {
        validBase();
        own.put("maxBodyBytes", "1000");

        BodyLimits limits = parse().bodyLimits();

        assertThat(limits.maxBytes()).isEqualTo(1000);
        assertThat(limits.memoryThreshold()).isEqualTo(1000);
    }

    @Test
    void authRecheckNeverKeepsDisabledKeysDisabled() throws ConfigException {
        validBase();
        own.put("authRecheck", "never");
        assertThat(parse().pool().authRecheck()).isEmpty();
        own.put("authRecheck", "NEVER");
        assertThat(parse().pool().authRecheck()).isEmpty();
    }

    @Test
    void modelAwareSettingsTakeTheirDefaults() throws ConfigException {
        validBase();

        RouteConfig config = parse();

        assertThat(config.pool().cooldownScope()).isEqualTo(PoolSettings.CooldownScope.MODEL);
        assertThat(config.pool().keyOrder()).isEqualTo(PoolSettings.KeyOrder.PRIORITY);
        assertThat(config.pool().quotaRecheck()).contains(Duration.ofHours(1));
        assertThat(config.exposeKeyHint()).isFalse();
    }

    @Test
    void cooldownScopeIsModelOrKeyInAnyCase() throws ConfigException {
        validBase();
        own.put("cooldownScope", "key");
        assertThat(parse().pool().cooldownScope()).isEqualTo(PoolSettings.CooldownScope.KEY);
        own.put("cooldownScope", " Model ");
        assertThat(parse().pool().cooldownScope()).isEqualTo(PoolSettings.CooldownScope.MODEL);
    }

    @Test
    void keyOrderIsPriorityHeadroomOrRoundRobin() throws ConfigException {
        validBase();
        own.put("keyOrder", "headroom");
        assertThat(parse().pool().keyOrder()).isEqualTo(PoolSettings.KeyOrder.HEADROOM);
        own.put("keyOrder", "round-robin");
        assertThat(parse().pool().keyOrder()).isEqualTo(PoolSettings.KeyOrder.ROUND_ROBIN);
        own.put("keyOrder", "Round-Robin");
        assertThat(parse().pool().keyOrder()).isEqualTo(PoolSettings.KeyOrder.ROUND_ROBIN);
        own.put("keyOrder", "PRIORITY");
        assertThat(parse().pool().keyOrder()).isEqualTo(PoolSettings.KeyOrder.PRIORITY);
    }

    @Test
    void quotaRecheckIsADurationOrNever() throws ConfigException {
        validBase();
        own.put("quotaRecheck", "6h");
        assertThat(parse().pool().quotaRecheck()).contains(Duration.ofHours(6));
        own.put("quotaRecheck", "PT30M");
        assertThat(parse().pool().quotaRecheck()).contains(Duration.ofMinutes(30));
        own.put("quotaRecheck", "never");
        assertThat(parse().pool().quotaRecheck()).isEmpty();
        own.put("quotaRecheck", "Never");
        assertThat(parse().pool().quotaRecheck()).isEmpty();
        assertThat(parse().pool().authRecheck()).as("quotaRecheck is its own setting")
                .contains(PoolSettings.DEFAULT_AUTH_RECHECK);
    }

    @Test
    void propagateTraceContextIsOffUnlessTrueAndABadValueNamesIt() throws ConfigException {
        validBase();
        assertThat(parse().propagateTraceContext()).isFalse();
        own.put("propagateTraceContext", "true");
        assertThat(parse().propagateTraceContext()).isTrue();
        own.put("propagateTraceContext", "yes");
        assertThatThrownBy(this::parse).isInstanceOf(ConfigException.class)
                .hasMessageContaining("propagateTraceContext").hasMessageContaining("'true' or 'false'");
    }

    @Test
    void exposeKeyHintIsTrueOrFalse() throws ConfigException {
        validBase();
        own.put("exposeKeyHint", "true");
        assertThat(parse().exposeKeyHint()).isTrue();
        own.put("exposeKeyHint", " FALSE ");
        assertThat(parse().exposeKeyHint()).isFalse();
    }

    @Test
    void modelAwareSettingsMayComeFromContextDefaults() throws ConfigException {
        validBase();
        context.put("keyfailover.keyOrder", "round-robin");
        context.put("keyfailover.cooldownScope", "key");
        context.put("keyfailover.exposeKeyHint", "true");
        own.put("keyOrder", "headroom");

        RouteConfig config = parse();

        assertThat(config.pool().keyOrder()).isEqualTo(PoolSettings.KeyOrder.HEADROOM);
        assertThat(config.pool().cooldownScope()).isEqualTo(PoolSettings.CooldownScope.KEY);
        assertThat(config.exposeKeyHint()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"request", "models", "keys", "none", "global"})
    void badCooldownScope(String value) {
        validBase();
        own.put("cooldownScope", value);

        assertThat(failure("'cooldownScope'")).contains("'model'", "'key'", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "roundrobin", "round robin", "least-used", "first"})
    void badKeyOrder(String value) {
        validBase();
        own.put("keyOrder", value);

        assertThat(failure("'keyOrder'")).contains("'priority'", "'headroom'", "'round-robin'", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sometimes", "0s", "PT0S", "60", "-1h", "nevermore"})
    void badQuotaRecheck(String value) {
        validBase();
        own.put("quotaRecheck", value);

        assertThat(failure("'quotaRecheck'")).containsAnyOf("is not a duration", "must be a positive duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", "truthy"})
    void badExposeKeyHint(String value) {
        validBase();
        own.put("exposeKeyHint", value);

        assertThat(failure("'exposeKeyHint'")).contains("'true' or 'false'", value);
    }

    @Test
    void relativeBaseUrlIsKeptAndTrailingSlashesAreStripped() throws ConfigException {
        validBase();
        own.put("baseUrl", "/demo");
        assertThat(parse().baseUrl()).isEqualTo("/demo");

        own.put("baseUrl", "/demo/openai/");
        assertThat(parse().baseUrl()).isEqualTo("/demo/openai");

        own.put("baseUrl", "https://api.openai.com/v1/");
        assertThat(parse().baseUrl()).isEqualTo("https://api.openai.com/v1");

        own.put("baseUrl", "  http://127.0.0.1:8080//  ");
        assertThat(parse().baseUrl()).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void propertiesHoldEveryResolvedParameterButNeverTheKeys() throws ConfigException {
        validBase();
        own.put("keys", KEY_A + "," + KEY_B);
        own.put("on403", "${env:ON403:-disable}");
        own.put("failoverOn", "402,529:skip");
        own.put("authHeader", "api-key");
        own.put("blank", "   ");
        context.put("keyfailover.errorFormat", "anthropic");

        Map<String, String> properties = parse().properties();

        assertThat(properties)
                .containsEntry("provider", "openai")
                .containsEntry("baseUrl", "https://api.openai.com/v1")
                .containsEntry("on403", "disable")
                .containsEntry("failoverOn", "402,529:skip")
                .containsEntry("authHeader", "api-key")
                .containsEntry("errorFormat", "anthropic")
                .doesNotContainKeys("keys", "blank");
        assertThat(properties.values()).noneMatch(value -> value.contains("SECRET"));
    }

    // ---- invalid configurations ----

    @Test
    void missingProvider() {
        own.put("baseUrl", "https://api.openai.com/v1");

        assertThat(failure("'provider'")).contains("is required");
    }

    @Test
    void blankProviderIsMissing() {
        validBase();
        own.put("provider", "   ");

        assertThat(failure("'provider'")).contains("is required");
    }

    @Test
    void missingBaseUrl() {
        own.put("provider", "openai");

        assertThat(failure("'baseUrl'")).contains("is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://files.example.com/v1", "api.openai.com/v1", "https:///v1", "http://", "mailto:x@y",
            "https://api.openai.com/v1?api-version=1", "https://api.openai.com/v1#frag",
            "https://user:pass@api.openai.com/v1", "http://bad host/v1"})
    void badBaseUrl(String url) {
        validBase();
        own.put("baseUrl", url);

        assertThat(failure("'baseUrl'")).containsAnyOf("not an absolute http(s) URL", "not a URL",
                "must not carry a query");
    }

    @Test
    void queryInBaseUrlIsNamedAsTheProblem() {
        validBase();
        own.put("baseUrl", "https://example.openai.azure.com/openai?api-version=2024-01-01");

        assertThat(failure("'baseUrl'")).contains("query");
    }

    @Test
    void blankKeyInsideAListNamesItsIndex() {
        validBase();
        own.put("keys", KEY_A + ",," + KEY_B);

        assertThat(failure("'keys'")).contains("index 1").contains("blank");
    }

    @Test
    void blankFirstKeyNamesIndexZero() {
        validBase();
        own.put("keys", " ," + KEY_A);

        assertThat(failure("'keys'")).contains("index 0").contains("blank");
    }

    @Test
    void blankLineInsideANewlineListNamesItsIndex() {
        validBase();
        own.put("keys", KEY_A + "\n" + KEY_B + "\n\n" + KEY_C);

        assertThat(failure("'keys'")).contains("index 2").contains("blank");
    }

    @Test
    void aTrailingBlankEntryInAKeyListIsAnError() {
        validBase();
        own.put("keys", KEY_A + "," + KEY_B + ",");

        assertThat(failure("'keys'")).contains("index 2").contains("blank");
    }

    @Test
    void aListOfOnlyBlankEntriesIsAnErrorNotAnEmptyPool() {
        validBase();
        own.put("keys", ",");

        assertThat(failure("'keys'")).contains("index 0").contains("blank");
    }

    @Test
    void anUnclosedReferenceNextToAKeyKeepsTheKeyOutOfTheMessage() {
        validBase();
        own.put("keys", KEY_A + ",${env:MORE_KEYS");

        assertThat(failure("'keys'")).contains("'${'");
    }

    @Test
    void anInvalidReferenceWhoseDefaultIsAKeyKeepsTheKeyOutOfTheMessage() {
        validBase();
        own.put("keys", "${OPENAI KEYS:-" + KEY_A + "}");

        assertThat(failure("'keys'")).contains("not a valid reference");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "-2000", "many", "1.5", "99999999999"})
    void badMaxConcurrentStreams(String value) {
        validBase();
        own.put("maxConcurrentStreams", value);

        assertThat(failure("'maxConcurrentStreams'")).contains("is not a positive whole number").contains(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "PT0S", "PT-1S", "soon", "30"})
    void badClientIdleTimeout(String value) {
        validBase();
        own.put("clientIdleTimeout", value);

        assertThat(failure("'clientIdleTimeout'")).containsAnyOf("is not a duration", "must be a positive duration");
    }

    @Test
    void aNegativeMaxWaitForKeyNamesTheParameter() {
        validBase();
        own.put("maxWaitForKey", "PT-1S");

        assertThat(failure("'maxWaitForKey'")).contains("negative");
    }

    @Test
    void duplicateKeysNameBothIndexesButNotTheKey() {
        validBase();
        own.put("keys", KEY_A + "," + KEY_B + "," + KEY_C + "," + KEY_B);

        assertThat(failure("'keys'")).contains("index 3").contains("index 1");
    }

    @Test
    void duplicateKeysInAKeysFileNameTheKeysFileParameterAndTheLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, KEY_A + "\n\n" + KEY_A + "\n", StandardCharsets.UTF_8);
        validBase();
        own.put("keysFile", file.toString());

        // behaviour.md §14: a keys file's problems are named by line, as the watcher names them.
        assertThat(failure("'keysFile'")).contains("line 3").contains("line 1").doesNotContain(KEY_A);
    }

    @Test
    void aKeyWithInnerWhitespaceInAKeysFileIsRefusedNamingTheLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, KEY_A + "\nsk-two words-0000000001\n", StandardCharsets.UTF_8);
        validBase();
        own.put("keysFile", file.toString());

        assertThat(failure("'keysFile'")).contains("line 2", "whitespace").doesNotContain("words");
    }

    @Test
    void aShortKeysSecretStopsTheRouteNamingItButNotItsValue() throws ConfigException {
        validBase();
        own.put("keys", KEY_A);
        context.put("keyfailover.keysSecret", "too-short-keys-secret");

        assertThat(failure("'keysSecret'")).contains("at least 32 characters").doesNotContain("too-short");

        context.put("keyfailover.keysSecret", "keys-secret-0123456789abcdef0123456789");
        RouteConfig config = parse();
        assertThat(config.keysCipher()).isPresent();
        assertThat(config.properties()).as("never handed to a provider factory").doesNotContainKey("keysSecret");
    }

    @Test
    void keysAndKeysFileBothSet(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, KEY_B + "\n", StandardCharsets.UTF_8);
        validBase();
        own.put("keys", KEY_A);
        own.put("keysFile", file.toString());

        assertThat(failure("'keys'")).contains("keysFile").contains("both set");
    }

    @Test
    void keysInContextDefaultAndKeysFileInOwnParamsAreAlsoBothSet(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, KEY_B + "\n", StandardCharsets.UTF_8);
        validBase();
        context.put("keyfailover.keys", KEY_A);
        own.put("keysFile", file.toString());

        assertThat(failure("'keys'")).contains("both set");
    }

    @Test
    void unreadableKeysFile(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-file");
        validBase();
        own.put("keysFile", missing.toString());

        assertThat(failure("'keysFile'")).contains("cannot read").contains(missing.toString());
    }

    @Test
    void keysFileThatIsADirectory(@TempDir Path dir) {
        validBase();
        own.put("keysFile", dir.toString());

        assertThat(failure("'keysFile'")).contains("cannot read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "true", "allowed", "off"})
    void badByok(String value) {
        validBase();
        own.put("byok", value);

        assertThat(failure("'byok'")).contains("'allow', 'deny', 'auto'").contains(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "-1", "1.5MiB", "10 TB"})
    void badMaxBodyBytes(String value) {
        validBase();
        own.put("maxBodyBytes", value);

        assertThat(failure("'maxBodyBytes'")).contains("is not a size in bytes");
    }

    @Test
    void zeroMaxBodyBytes() {
        validBase();
        own.put("maxBodyBytes", "0");

        assertThat(failure("'maxBodyBytes'")).contains("at least 1 byte");
    }

    @Test
    void maxBodyBytesOverflowingALong() {
        validBase();
        own.put("maxBodyBytes", "99999999999g");

        assertThat(failure("'maxBodyBytes'")).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "30", "1.5s", "-5s"})
    void badResponseTimeout(String value) {
        validBase();
        own.put("responseTimeout", value);

        assertThat(failure("'responseTimeout'")).contains("is not a duration");
    }

    /** A bad value's error says where it was set when not in the route's own init-params: a shared context-param, and what set that. */
    @Test
    void aBadValueIsNamedWithWhereItWasSet() {
        validBase();
        own.put("responseTimeout", "abc");
        String fromInitParam = failure("responseTimeout");
        own.remove("responseTimeout");
        context.put("keyfailover.responseTimeout", "abc");
        String fromContextParam = failure("responseTimeout");
        ConfigException fromEnvironment = catchThrowableOfType(ConfigException.class, () -> RouteConfig.parse(WHERE,
                "openai-route", new ParameterSource(own::get, Collections.enumeration(own.keySet()), context::get,
                        Collections.enumeration(context.keySet()), ParameterSource.origins(
                                Map.of("keyfailover.responseTimeout", "KEYFAILOVER_RESPONSE_TIMEOUT"))),
                new Placeholders(env::get, sys::get)));

        // The route's own init-param is what a parameter is unless said.
        assertThat(fromInitParam).isEqualTo(WHERE + ": parameter 'responseTimeout' 'abc' is not a duration "
                + "(examples: 500ms, 30s, 15m, 1h, PT30S)");
        assertThat(fromContextParam).startsWith(WHERE + ": parameter 'responseTimeout' "
                + "(context-param keyfailover.responseTimeout) ");
        assertThat(fromEnvironment.getMessage()).startsWith(WHERE + ": parameter 'responseTimeout' "
                + "(context-param keyfailover.responseTimeout, set from KEYFAILOVER_RESPONSE_TIMEOUT) ");
    }

    @Test
    void zeroResponseTimeout() {
        validBase();
        own.put("responseTimeout", "0s");

        assertThat(failure("responseTimeout")).contains("must be a positive duration");
    }

    @Test
    void theThreeTimeoutsOfAnAnswerDefaultToTenMinutesForTheHeadAndInsideTheBodyAndNoFirstByteWait()
            throws ConfigException {
        validBase();

        ClientSettings client = parse().client();

        assertThat(client.responseTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(client.streamIdleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(client.firstByteTimeout()).isEmpty();
    }

    @Test
    void firstByteTimeoutOffIsNoWait() throws ConfigException {
        validBase();
        own.put("firstByteTimeout", "OFF");

        assertThat(parse().client().firstByteTimeout()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "soon", "-5s"})
    void aBadFirstByteTimeoutNamesTheParameterAndOff(String value) {
        validBase();
        own.put("firstByteTimeout", value);

        assertThat(failure("'firstByteTimeout'")).contains("'off'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "forever"})
    void aBadStreamIdleTimeoutNamesTheParameter(String value) {
        validBase();
        own.put("streamIdleTimeout", value);

        assertThat(failure("'streamIdleTimeout'")).containsAnyOf("must be a positive duration", "is not a duration");
    }

    @Test
    void negativeIsoConnectTimeout() {
        validBase();
        own.put("connectTimeout", "PT-5S");

        assertThat(failure("connectTimeout")).contains("must be a positive duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "1.5", "99999999999"})
    void badMaxConnections(String value) {
        validBase();
        own.put("maxConnections", value);

        assertThat(failure("'maxConnections'")).contains("is not a positive whole number").contains(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sometimes", "0s", "PT0S", "15"})
    void badAuthRecheck(String value) {
        validBase();
        own.put("authRecheck", value);

        assertThat(failure("'authRecheck'")).containsAnyOf("is not a duration", "must be a positive duration");
    }

    @Test
    void badMaxCooldown() {
        validBase();
        own.put("maxCooldown", "0ms");

        assertThat(failure("'maxCooldown'")).contains("must be a positive duration");
    }

    @Test
    void badClientAuthHeaders() {
        validBase();
        own.put("clientAuthHeaders", "Authorization, Bad Header");

        assertThat(failure("'clientAuthHeaders'")).contains("'Bad Header' is not a valid header name");
    }

    @Test
    void unresolvedEnvReferenceNamesTheParameterAndTheReference() {
        validBase();
        own.put("baseUrl", "${env:OPENAI_BASE_URL}");

        assertThat(failure("'baseUrl'")).contains("env:OPENAI_BASE_URL").contains("not set");
    }

    @Test
    void unresolvedReferenceInKeysNamesTheReference() {
        validBase();
        own.put("keys", "${env:OPENAI_API_KEYS}");

        assertThat(failure("'keys'")).contains("env:OPENAI_API_KEYS").contains("not set");
    }

    @Test
    void unresolvedReferenceInAnyOtherParameterStopsTheRoute() {
        validBase();
        own.put("on403", "${sys:on403.rule}");

        assertThat(failure("'on403'")).contains("sys:on403.rule");
    }

    @Test
    void unresolvedReferenceInAContextDefaultNamesTheParameter() {
        validBase();
        context.put("keyfailover.dumpDir", "${env:KEYFAILOVER_DUMP_DIR}");

        assertThat(failure("'dumpDir'")).contains("env:KEYFAILOVER_DUMP_DIR");
    }

    @Test
    void aValidConfigurationWithKeysDoesNotThrow() {
        validBase();
        own.put("keys", KEY_A + "," + KEY_B);
        assertThatCode(this::parse).doesNotThrowAnyException();
    }

    @Test
    void keysKeepTheConfiguredOrderNotASortedOne() throws ConfigException {
        validBase();
        own.put("keys", String.join(",", List.of(KEY_C, KEY_A, KEY_B)));

        assertThat(parse().keys()).containsExactly(KEY_C, KEY_A, KEY_B);
    }
}
