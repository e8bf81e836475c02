package dev.keyfailover.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.keyfailover.metrics.MeterNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/**
 * {@code monitoring/alerts.yml} is valid YAML in the shape of Prometheus' rule files, and every
 * expression names only meters the proxy exports (promtool is not at hand; MetricsWarIT also
 * finds each name in a real scrape).
 */
class AlertRulesTest {

    /** What Prometheus sees of our meters, named by the same convention the registry uses. */
    private static final Set<String> EXPORTED = exported();
    private static final Set<String> LABELS = Set.of("provider", "key", "outcome", "kind", "to", "state", "instance",
            "job");

    private static Set<String> exported() {
        PrometheusNamingConvention names = new PrometheusNamingConvention();
        String timer = names.name(MeterNames.UPSTREAM_DURATION, Meter.Type.TIMER);
        // The registry names a counter without _total; the text format adds it.
        return Stream.of(names.name(MeterNames.REQUESTS, Meter.Type.COUNTER) + "_total",
                names.name(MeterNames.ATTEMPTS, Meter.Type.COUNTER) + "_total",
                names.name(MeterNames.EXHAUSTIONS, Meter.Type.COUNTER) + "_total",
                names.name(MeterNames.TRANSITIONS, Meter.Type.COUNTER) + "_total",
                names.name(MeterNames.KEYS, Meter.Type.GAUGE),
                timer + "_count", timer + "_sum", timer + "_max").collect(Collectors.toSet());
    }

    @Test
    void theNamesThisTestExpectsAreTheOnesPrometheusShows() {
        assertThat(EXPORTED).contains("keyfailover_requests_total", "keyfailover_key_transitions_total",
                "keyfailover_keys", "keyfailover_upstream_duration_seconds_count");
    }

    @Test
    void theFileIsARuleFileOfAlertsEachWithExprForLabelsAndAnnotations() throws Exception {
        Map<String, Object> document = AlertRules.load();

        assertThat(document).containsOnlyKeys("groups");
        assertThat(document.get("groups")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .isNotEmpty().allSatisfy(group -> assertThat(group).asInstanceOf(
                        InstanceOfAssertFactories.MAP).containsOnlyKeys("name", "rules"));
        List<Map<String, Object>> rules = AlertRules.rules(document);
        assertThat(rules).hasSizeGreaterThanOrEqualTo(3);
        for (Map<String, Object> rule : rules) {
            assertThat(rule).as("rule %s", rule.get("alert"))
                    .containsOnlyKeys("alert", "expr", "for", "labels", "annotations");
            assertThat((String) rule.get("alert")).matches("[A-Z][A-Za-z0-9]+");
            assertThat((String) rule.get("expr")).isNotBlank();
            assertThat((String) rule.get("for")).matches("\\d+[smhdwy]");
            assertThat(rule.get("labels")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsKey("severity").extractingByKey("severity").isIn("critical", "warning", "info");
            assertThat(rule.get("annotations")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsKeys("summary", "description");
        }
        assertThat(rules).extracting(rule -> rule.get("alert")).doesNotHaveDuplicates();
    }

    @Test
    void everyExpressionNamesOnlyMetersWeExportAndTheirLabels() throws Exception {
        for (Map<String, Object> rule : AlertRules.rules(AlertRules.load())) {
            String expr = (String) rule.get("expr");
            assertThat(AlertRules.metricNames(expr)).as("metrics of %s", rule.get("alert")).isNotEmpty()
                    .isSubsetOf(EXPORTED);
            assertThat(AlertRules.labelNames(expr)).as("labels of %s", rule.get("alert")).isSubsetOf(LABELS);
            assertThat(expr.chars().filter(c -> c == '(').count()).as("balanced parentheses in %s", rule.get("alert"))
                    .isEqualTo(expr.chars().filter(c -> c == ')').count());
        }
    }

    @Test
    void theThreeAlertsAnOperatorWantsAreThere() throws Exception {
        Map<String, String> exprs = AlertRules.rules(AlertRules.load()).stream()
                .collect(Collectors.toMap(rule -> (String) rule.get("alert"), rule -> (String) rule.get("expr")));

        assertThat(exprs.get("KeyfailoverNoUsableKey")).contains("keyfailover_keys", "state=\"VALID\"", "== 0");
        assertThat(exprs.get("KeyfailoverKeyDisabled")).contains("keyfailover_keys", "state=\"DISABLED\"");
        assertThat(exprs.get("KeyfailoverExhaustionRateHigh")).contains("rate(keyfailover_exhaustions_total",
                "rate(keyfailover_requests_total");
    }

    @Test
    void theExpressionReaderFindsMetricsAndLabels() {
        String expr = "sum by (instance, provider) (rate(keyfailover_exhaustions_total{kind=~\"auth|quota\"}[10m])) "
                + "/ sum by (provider) (rate(other_metric[5m])) > 0.05";

        assertThat(AlertRules.metricNames(expr)).containsExactly("keyfailover_exhaustions_total", "other_metric");
        assertThat(AlertRules.labelNames(expr)).containsExactly("kind", "instance", "provider");
    }
}
