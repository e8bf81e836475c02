package dev.keyfailover.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * One headline of a scenario as a bar chart (XChart), drawn as a PNG next to the report and embedded right after its
 * table: people would rather look than read (issue 22). Groups along the x axis, one bar per series in each group; or,
 * for a figure that moves along the x axis (scenario 11's rounds), one line per series.
 *
 * @param name the file name without {@code .png}, unique in the report ({@code s1-rps})
 * @param title the chart's title and the image's alt text
 * @param yTitle what the bars measure, with its unit
 * @param groups the x axis, in order
 * @param series per series (a candidate, a percentile, ...) its value per group; a missing or NaN value draws no bar
 *     (and no point of a line)
 * @param lines one line per series, with a marker at each group, instead of bars
 */
record Chart(String name, String title, String yTitle, List<String> groups, Map<String, Map<String, Double>> series,
        boolean lines) {

    static final String DIR = "results";
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 420;

    /** A chart to fill with {@link #bar}; groups and series keep the order they are first given in. */
    static Chart of(String name, String title, String yTitle) {
        return new Chart(name, title, yTitle, new ArrayList<>(), new LinkedHashMap<>(), false);
    }

    /** The same drawn as lines, one per series across the groups: fill it with {@link #point}. */
    static Chart lines(String name, String title, String yTitle) {
        return new Chart(name, title, yTitle, new ArrayList<>(), new LinkedHashMap<>(), true);
    }

    Chart point(String seriesName, String group, double value) {
        return bar(seriesName, group, value);
    }

    Chart bar(String seriesName, String group, double value) {
        if (!groups.contains(group)) {
            groups.add(group);
        }
        series.computeIfAbsent(seriesName, s -> new LinkedHashMap<>()).put(group, value);
        return this;
    }

    boolean empty() {
        return series.values().stream().allMatch(values -> values.values().stream().allMatch(v -> v.isNaN()));
    }

    /** The Markdown that embeds it, relative to the report. */
    String markdown() {
        return "![" + title + "](" + DIR + "/" + name + ".png)\n\n";
    }

    /** Draws it into {@code dir} as {@code name.png}. */
    void draw(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle)
                .build();
        CategoryStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setXAxisLabelRotation(groups.size() > 4 && !lines ? 20 : 0);
        if (lines) {
            styler.setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
            styler.setOverlapped(true); // every series' point at its group's centre, not side by side like bars
        }
        for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (String group : groups) {
                Double v = s.getValue().get(group);
                boolean missing = v == null || v.isNaN() || v.isInfinite();
                values.add(missing ? (lines ? null : 0.0) : v); // a line breaks at a missing point rather than dive to 0
            }
            chart.addSeries(s.getKey(), groups, values);
        }
        Files.createDirectories(dir);
        BitmapEncoder.saveBitmap(chart, dir.resolve(name + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
