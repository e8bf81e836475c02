package dev.keyfailover.example;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The example's Prometheus alerting rules, {@code monitoring/alerts.yml}, as parsed YAML. */
final class AlertRules {

    static final Path FILE = Path.of(System.getProperty("basedir", "."), "monitoring", "alerts.yml");

    /** PromQL words an expression of ours may use besides metric and label names. */
    static final Set<String> PROMQL = Set.of("sum", "max", "min", "avg", "count", "by", "without", "rate", "increase",
            "irate", "delta", "and", "or", "unless", "on", "ignoring", "group_left", "group_right", "bool", "offset",
            "clamp_min", "clamp_max", "abs", "absent", "histogram_quantile", "topk", "bottomk", "time", "vector");

    private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)}");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"[^\"]*\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring)\\s*\\(([^)]*)\\)");
    private static final Pattern WORD = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private AlertRules() {
    }

    /** The file parsed with SnakeYAML's safe constructor (plain maps, lists and scalars). */
    static Map<String, Object> load() throws IOException {
        try (Reader reader = Files.newBufferedReader(FILE, StandardCharsets.UTF_8)) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            if (!(document instanceof Map)) {
                throw new IllegalStateException(FILE + " is not a YAML mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) document;
            return map;
        }
    }

    /** Every rule of every group. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(Map<String, Object> document) {
        return ((List<Map<String, Object>>) document.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .toList();
    }

    /** The metric names an expression selects: its words less PromQL's, label names, and numbers. */
    static Set<String> metricNames(String expr) {
        String rest = MATCHERS.matcher(expr).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        rest = rest.replaceAll("\\[[^]]*]", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher word = WORD.matcher(rest);
        while (word.find()) {
            if (!PROMQL.contains(word.group())) {
                names.add(word.group());
            }
        }
        return names;
    }

    /** The label names an expression matches on or groups by. */
    static Set<String> labelNames(String expr) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher matchers = MATCHERS.matcher(expr);
        while (matchers.find()) {
            Matcher label = LABEL.matcher(matchers.group(1));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        Matcher grouping = GROUPING.matcher(expr);
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        return labels;
    }
}
