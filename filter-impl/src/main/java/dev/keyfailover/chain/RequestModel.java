package dev.keyfailover.chain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

import dev.keyfailover.api.ModelSource;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpEntity;

/**
 * The model a request is for (behaviour.md §9), where the provider's {@link ModelSource} says:
 * by default the top-level {@code "model"} string of a JSON body (OpenAI, Anthropic), else the
 * path segment after {@code /deployments/} (Azure) or {@code /models/} (Gemini, up to a
 * {@code :action}), else {@code null}: the key as a whole. Reads the already buffered body where
 * it lies, without a copy of it.
 */
final class RequestModel {

    private RequestModel() {
    }

    /** Longer names are no model a provider has: the request counts as one without a model. */
    static final int MAX_NAME_LENGTH = 128;

    static String of(ClassicHttpRequest request, ReplayableBody body, ModelSource source) {
        String model = body == null || source.bodyField() == null ? null
                : fromBody(request.getEntity(), body, source.bodyField());
        return plausible(model != null && !model.isBlank() ? model
                : fromPath(request.getRequestUri(), source.pathMarkers()));
    }

    /** The name, or {@code null} for one no provider would have (the pool keeps state per model name). */
    private static String plausible(String model) {
        if (model == null || model.length() > MAX_NAME_LENGTH) {
            return null;
        }
        for (int i = 0; i < model.length(); i++) {
            if (Character.isISOControl(model.charAt(i))) {
                return null;
            }
        }
        return model;
    }

    private static String fromBody(HttpEntity entity, ReplayableBody body, String field) {
        if (entity == null || !isJson(entity.getContentType())) {
            return null;
        }
        if (body.bytes() != null) {
            return TopLevelString.find(body.bytes(), field);
        }
        return body.spillFile() == null ? null : fromFile(body.spillFile(), field);
    }

    private static String fromFile(Path file, String field) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            byte[] head = read(channel, 0, (int) Math.min(size, TopLevelString.WINDOW));
            byte[] tail = read(channel, Math.max(0, size - TopLevelString.WINDOW),
                    (int) Math.min(size, TopLevelString.WINDOW));
            String model = TopLevelString.find(head, tail, size <= TopLevelString.WINDOW, field);
            if (model != TopLevelString.UNSETTLED) {
                return model;
            }
            try (InputStream in = Files.newInputStream(file)) {
                return TopLevelString.parse(in, field);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        int read;
        do {
            read = channel.read(buffer, position + buffer.position());
        } while (read >= 0 && buffer.hasRemaining());
        return buffer.array();
    }

    private static boolean isJson(String contentType) {
        return contentType == null || contentType.toLowerCase(Locale.ROOT).contains("json");
    }

    /** The segment after the first marker found, up to the next {@code /} or {@code :action}. */
    static String fromPath(String requestUri, List<String> markers) {
        if (requestUri == null || markers.isEmpty()) {
            return null;
        }
        int query = requestUri.indexOf('?');
        String path = query < 0 ? requestUri : requestUri.substring(0, query);
        for (String marker : markers) {
            String model = segmentAfter(path, marker);
            if (model != null) {
                int action = model.indexOf(':');
                model = action > 0 ? model.substring(0, action) : model;
                return model.isEmpty() ? null : model;
            }
        }
        return null;
    }

    private static String segmentAfter(String path, String marker) {
        int at = path.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int start = at + marker.length();
        int end = path.indexOf('/', start);
        return path.substring(start, end < 0 ? path.length() : end);
    }
}
