package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;

import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;

/** Table rows and cells of the report; a missing number makes an empty cell rather than "NaN". */
final class Markdown {

    private Markdown() {
    }

    /** One table row: {@code | a | b | c |}. */
    static void row(StringBuilder markdown, String... cells) {
        markdown.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    static String fmt(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A number of microseconds in milliseconds. */
    static String ms(JsonObject o, String key) {
        return fmt(num(o, key) / 1000, 3);
    }

    static String mib(double bytes) {
        return fmt(bytes / 1048576, 1);
    }

    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "" : fmt(a / b, 2) + "x";
    }

    /** A difference of microseconds in milliseconds. */
    static String addedMs(double us, double baseUs) {
        return fmt((us - baseUs) / 1000, 3);
    }

    /** The outcomes of a load-generator run other than the good one, e.g. "status-502: 3"; "none" if there are none. */
    static String errors(JsonObject r, String good) {
        JsonObject outcomes = r.getJsonObject("outcomes");
        String text = outcomes.entrySet().stream().filter(e -> !e.getKey().equals(good))
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
        return text.isEmpty() ? "none" : escape(text);
    }

    /** Text that may contain a pipe, made safe for a table cell. */
    static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
