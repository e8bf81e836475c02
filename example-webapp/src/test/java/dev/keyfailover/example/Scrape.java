package dev.keyfailover.example;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape in Prometheus' text format, parsed into samples. */
record Scrape(String text, List<Sample> samples) {

    /** One line: a metric name, its labels, its value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+-?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = LINE.matcher(line.strip());
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                int end = 0;
                while (label.find() && label.start() == end) {
                    labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                            .replace("\\\\", "\\"));
                    end = label.end();
                }
                if (end != sample.group(2).length()) {
                    throw new IllegalArgumentException("labels not understood: " + line);
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return new Scrape(text, List.copyOf(samples));
    }

    /** The value of the one sample of this name whose labels include these (name, value, name, value, …). */
    double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + " " + List.of(labels) + " in:\n" + text);
        }
        return found.get(0).value();
    }

    /** The samples of this name whose labels include these. */
    List<Sample> find(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name) && matches(sample.labels(), labels)) {
                found.add(sample);
            }
        }
        return found;
    }

    /** The sum over the samples of this name whose labels include these. */
    double sum(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    private static boolean matches(Map<String, String> labels, String... wanted) {
        for (int i = 0; i < wanted.length; i += 2) {
            if (!wanted[i + 1].equals(labels.get(wanted[i]))) {
                return false;
            }
        }
        return true;
    }
}
