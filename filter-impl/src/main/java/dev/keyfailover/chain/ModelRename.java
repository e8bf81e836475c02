package dev.keyfailover.chain;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import dev.keyfailover.api.ModelSource;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * A request as a fallback route sends it (behaviour.md §18): the same path after the route's
 * prefix on the fallback's base URL, and the model renamed as the fallback's {@code modelMap}
 * says: the top-level {@code "model"} string of the body, replaced where the quick scans of §9 find
 * it (the body is never parsed), else the model's segment of the path.
 */
final class ModelRename {

    private ModelRename() {
    }

    /**
     * The request for {@code target}, or {@code null} when the model must be renamed but cannot be
     * found where it lies (deep in a body too large to scan, or spilled to disk).
     *
     * @param model the model the client asked for; {@code null} when it named none
     * @param renamed the model the target asks its provider for
     * @param asksUsage the request's own route asked the stream for its usage ({@link UsageExec}):
     *     a renamed body, made from the client's bytes, asks too
     */
    static ClassicHttpRequest forTarget(ClassicHttpRequest request, Exchange exchange, FallbackTarget target,
                                        String model, String renamed, boolean asksUsage) {
        String base = target.baseUrl().startsWith("/") ? exchange.serverOrigin() + target.baseUrl() : target.baseUrl();
        ClassicRequestBuilder copy = ClassicRequestBuilder.copy(request);
        String uri = base + exchange.pathAndQuery();
        if (model == null || model.equals(renamed)) {
            return copy.setUri(URI.create(uri)).build();
        }
        ModelSource source = target.provider().modelSource();
        HttpEntity body = renamedBody(exchange.body(), source.bodyField(), renamed, request.getEntity(), asksUsage);
        if (body != null) {
            return copy.setUri(URI.create(uri)).setEntity(body).build();
        }
        String path = renamedPath(uri, source, model, renamed);
        return path == null ? null : copy.setUri(URI.create(path)).build();
    }

    private static HttpEntity renamedBody(ReplayableBody body, String field, String renamed, HttpEntity original,
                                          boolean asksUsage) {
        if (body == null || field == null || body.bytes() == null) {
            return null;
        }
        byte[] bytes = body.bytes();
        TopLevelScan.Found found = TopLevelString.locate(bytes, field);
        if (found == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + renamed.length());
        out.write(bytes, 0, found.start());
        byte[] value = escaped(renamed).getBytes(StandardCharsets.UTF_8);
        out.write(value, 0, value.length);
        out.write(bytes, found.end(), bytes.length - found.end());
        String type = original.getContentType();
        // The request's route asked only a body without stream_options, so the renamed one has none either.
        byte[] sent = asksUsage ? StreamOptions.withUsage(out.toByteArray()) : out.toByteArray();
        return new ByteArrayEntity(sent, type == null ? null : ContentType.parseLenient(type),
                original.getContentEncoding());
    }

    /** The URI with the segment after the first of the source's path markers that holds {@code model} renamed. */
    private static String renamedPath(String uri, ModelSource source, String model, String renamed) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        for (String marker : source.pathMarkers()) {
            int at = path.indexOf(marker + model);
            int end = at + marker.length() + model.length();
            if (at >= 0 && (end == path.length() || path.charAt(end) == '/' || path.charAt(end) == ':')) {
                return uri.substring(0, at + marker.length()) + renamed + uri.substring(end);
            }
        }
        return null;
    }

    /** The text of a JSON string between its quotes. */
    private static String escaped(String text) {
        StringBuilder json = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.toString();
    }
}
