package dev.keyfailover.bench;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** Reading the JSON the child JVMs report: the load generator's results, the upstream's and candidates' counters. */
final class JsonResults {

    private JsonResults() {
    }

    static JsonObject parse(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** A number of a result; NaN when the result or the number is missing, so that its cell stays empty. */
    static double num(JsonObject o, String key) {
        if (o == null || !o.containsKey(key) || o.get(key).getValueType() != JsonValue.ValueType.NUMBER) {
            return Double.NaN;
        }
        return o.getJsonNumber(key).doubleValue();
    }
}
