package dev.keyfailover.api;

import java.util.List;
import java.util.Objects;

/**
 * Where a request names the model it is for (behaviour.md §9), as a {@link Provider} tells the
 * engine: the pool keeps a key's rate limits per model, so it must know the model without the
 * provider parsing bodies on the request path. The engine reads the top-level string field
 * {@code bodyField} of a JSON body (from the buffered body, without a copy); when there is none,
 * the path segment after the first of {@code pathMarkers} found (up to the next {@code /} or
 * {@code :action}); else the request counts as one without a model.
 *
 * @param bodyField the top-level JSON field holding the model; {@code null}: not in the body
 * @param pathMarkers path parts the model's segment follows, e.g. {@code /deployments/}
 */
public record ModelSource(String bodyField, List<String> pathMarkers) {

    /** {@code "model"} of a JSON body (OpenAI, Anthropic), else after {@code /deployments/} (Azure) or {@code /models/} (Gemini). */
    public static final ModelSource DEFAULT = new ModelSource("model", List.of("/deployments/", "/models/"));

    /** No model anywhere: the pool judges the key as a whole. */
    public static final ModelSource NONE = new ModelSource(null, List.of());

    public ModelSource {
        pathMarkers = List.copyOf(Objects.requireNonNull(pathMarkers, "pathMarkers"));
        for (String marker : pathMarkers) {
            if (marker.isEmpty() || marker.charAt(0) != '/' || marker.charAt(marker.length() - 1) != '/') {
                throw new IllegalArgumentException("a path marker starts and ends with '/': '" + marker + "'");
            }
        }
    }
}
