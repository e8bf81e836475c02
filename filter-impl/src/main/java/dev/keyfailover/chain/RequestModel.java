package dev.keyfailover.chain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpEntity;

/**
 * The model a request is for (behaviour.md §9): the top-level {@code "model"} string of a JSON
 * body (OpenAI, Anthropic), else the path segment after {@code /deployments/} (Azure) or
 * {@code /models/} (Gemini, up to a {@code :action}), else {@code null}: the key as a whole.
 * Reads the already buffered body where it lies, without a copy of it.
 */
final class RequestModel {

    private RequestModel() {
    }

    /** Longer names are no model a provider has: the request counts as one without a model. */
    static final int MAX_NAME_LENGTH = 128;

    static String of(ClassicHttpRequest request, ReplayableBody body) {
        String model = body == null ? null : fromBody(request.getEntity(), body);
        return plausible(model != null && !model.isBlank() ? model : fromPath(request.getRequestUri()));
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

    private static String fromBody(HttpEntity entity, ReplayableBody body) {
        if (entity == null || !isJson(entity.getContentType())) {
            return null;
        }
        if (body.bytes() != null) {
            return TopLevelString.find(body.bytes(), "model");
        }
        return body.spillFile() == null ? null : fromFile(body.spillFile());
    }

    private static String fromFile(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            byte[] head = read(channel, 0, (int) Math.min(size, TopLevelString.WINDOW));
            byte[] tail = read(channel, Math.max(0, size - TopLevelString.WINDOW),
                    (int) Math.min(size, TopLevelString.WINDOW));
            String model = TopLevelString.find(head, tail, size <= TopLevelString.WINDOW, "model");
            if (model != TopLevelString.UNSETTLED) {
                return model;
            }
            try (InputStream in = Files.newInputStream(file)) {
                return TopLevelString.parse(in, "model");
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

    /** {@code …/deployments/<name>/…} or {@code …/models/<name>[:action]}. */
    static String fromPath(String requestUri) {
        if (requestUri == null) {
            return null;
        }
        int query = requestUri.indexOf('?');
        String path = query < 0 ? requestUri : requestUri.substring(0, query);
        String model = segmentAfter(path, "/deployments/");
        if (model == null) {
            model = segmentAfter(path, "/models/");
            if (model != null && model.indexOf(':') > 0) {
                model = model.substring(0, model.indexOf(':'));
            }
        }
        return model == null || model.isEmpty() ? null : model;
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
