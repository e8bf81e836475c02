package dev.keyfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 3 "Configuration" and behaviour.md §8: {@code ${env:NAME}}, {@code ${sys:NAME}}, {@code ${NAME:-default}}. */
class PlaceholdersTest {

    private static final Map<String, String> ENV = Map.of(
            "OPENAI_API_KEYS", "env-keys",
            "SHARED", "from-env",
            "EMPTY_ENV", "");
    private static final Map<String, String> SYS = Map.of(
            "openai.base", "http://sys.example",
            "SHARED", "from-sys",
            "ONLY_SYS", "sys-only");

    private final Placeholders placeholders = new Placeholders(ENV::get, SYS::get);

    @Test
    void valuesWithoutReferencesAndNullAreReturnedAsTheyAre() {
        assertThat(placeholders.resolve("https://api.openai.com/v1")).isEqualTo("https://api.openai.com/v1");
        assertThat(placeholders.resolve("cost is $5 {not a reference}")).isEqualTo("cost is $5 {not a reference}");
        assertThat(placeholders.resolve("")).isEmpty();
        assertThat(placeholders.resolve(null)).isNull();
    }

    @Test
    void envReferenceReadsOnlyTheEnvironment() {
        assertThat(placeholders.resolve("${env:OPENAI_API_KEYS}")).isEqualTo("env-keys");
        assertThat(placeholders.resolve("${env:SHARED}")).isEqualTo("from-env");
        assertThatThrownBy(() -> placeholders.resolve("${env:ONLY_SYS}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("env:ONLY_SYS");
    }

    @Test
    void sysReferenceReadsOnlySystemProperties() {
        assertThat(placeholders.resolve("${sys:openai.base}")).isEqualTo("http://sys.example");
        assertThat(placeholders.resolve("${sys:SHARED}")).isEqualTo("from-sys");
        assertThatThrownBy(() -> placeholders.resolve("${sys:OPENAI_API_KEYS}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sys:OPENAI_API_KEYS");
    }

    @Test
    void plainReferenceTriesTheEnvironmentThenSystemProperties() {
        assertThat(placeholders.resolve("${SHARED}")).isEqualTo("from-env");
        assertThat(placeholders.resolve("${ONLY_SYS}")).isEqualTo("sys-only");
        assertThat(placeholders.resolve("${openai.base}")).isEqualTo("http://sys.example");
    }

    @Test
    void referencesAreReplacedInsideSurroundingText() {
        assertThat(placeholders.resolve("${sys:openai.base}/v1?x=${env:SHARED}&y=${ONLY_SYS}"))
                .isEqualTo("http://sys.example/v1?x=from-env&y=sys-only");
    }

    @Test
    void defaultIsUsedOnlyWhenTheNameIsUnset() {
        assertThat(placeholders.resolve("${env:MISSING:-fallback}")).isEqualTo("fallback");
        assertThat(placeholders.resolve("${sys:missing.prop:-http://localhost:8080/demo}"))
                .isEqualTo("http://localhost:8080/demo");
        assertThat(placeholders.resolve("${MISSING:-plain default}")).isEqualTo("plain default");
        assertThat(placeholders.resolve("${env:SHARED:-fallback}")).isEqualTo("from-env");
        assertThat(placeholders.resolve("${ONLY_SYS:-fallback}")).isEqualTo("sys-only");
    }

    @Test
    void anEmptyDefaultResolvesToEmpty() {
        assertThat(placeholders.resolve("${env:KEYFAILOVER_DUMP_DIR:-}")).isEmpty();
        assertThat(placeholders.resolve("a${MISSING:-}b")).isEqualTo("ab");
    }

    @Test
    void aSetButEmptyVariableGivesWayToTheDefaultAsInTheShell() {
        assertThat(placeholders.resolve("${env:EMPTY_ENV:-fallback}")).isEqualTo("fallback");
        assertThat(placeholders.resolve("${env:EMPTY_ENV}")).isEmpty();
    }

    @Test
    void defaultsMayHoldReferencesThemselves() {
        assertThat(placeholders.resolve("${env:A:-${sys:B:-x}}")).isEqualTo("x");
        assertThat(placeholders.resolve("${env:A:-${sys:openai.base:-x}}")).isEqualTo("http://sys.example");
        assertThat(placeholders.resolve("${env:A:-${sys:B:-${SHARED}}}/v1")).isEqualTo("from-env/v1");
        assertThat(placeholders.resolve("${env:SHARED:-${sys:B:-x}}")).isEqualTo("from-env");
    }

    @Test
    void aNestedUnsetReferenceWithoutDefaultIsStillAnError() {
        assertThatThrownBy(() -> placeholders.resolve("${env:A:-${sys:B}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sys:B");
    }

    @Test
    void doubleDollarEscapesALiteralReference() {
        assertThat(placeholders.resolve("$${env:SHARED}")).isEqualTo("${env:SHARED}");
        assertThat(placeholders.resolve("pre $${x} and ${env:SHARED}")).isEqualTo("pre ${x} and from-env");
        assertThat(placeholders.resolve("${MISSING:-$${literal}}")).isEqualTo("${literal}");
    }

    @Test
    void escapedReferenceIsNotResolvedEvenWhenUnset() {
        assertThat(placeholders.resolve("$${env:NOT_SET_ANYWHERE}")).isEqualTo("${env:NOT_SET_ANYWHERE}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"${env:NOT_SET}", "${sys:not.set}", "${NOT_SET}", "prefix-${env:NOT_SET}-suffix"})
    void unsetReferenceWithoutDefaultIsAnErrorNamingTheReference(String value) {
        String reference = value.substring(value.indexOf("${") + 2, value.indexOf('}'));

        assertThatThrownBy(() -> placeholders.resolve(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reference)
                .hasMessageContaining("not set");
    }

    @Test
    void unclosedReferenceIsAnError() {
        assertThatThrownBy(() -> placeholders.resolve("${env:SHARED"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unclosed");
        assertThatThrownBy(() -> placeholders.resolve("${env:A:-${sys:B:-x}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unclosed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"${}", "${env:}", "${sys:}", "${env:A B}", "${bad name}", "${foo:bar}", "${env:A/B}",
            "${:-default}"})
    void malformedNamesAreErrors(String value) {
        assertThatThrownBy(() -> placeholders.resolve(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid reference");
    }

    @Test
    void systemPlaceholdersResolveRealSystemProperties() {
        // Reads the real JVM properties (never the environment): java.version is always set.
        assertThat(Placeholders.system().resolve("${sys:java.version}")).isEqualTo(System.getProperty("java.version"));
        assertThat(Placeholders.system().resolve("${sys:keyfailover.surely.unset.property:-d}")).isEqualTo("d");
    }
}
