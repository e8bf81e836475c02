package dev.keyfailover.chain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

/**
 * Releases the response of a failed attempt before the next one starts, so its connection goes
 * back to the pool (or is dropped) and never carries unread bytes into the next attempt.
 */
final class FailedAttempts {

    /** Error bodies are small; a longer one is not worth draining, its connection is dropped. */
    static final int DRAIN_LIMIT = 64 * 1024;

    private FailedAttempts() {
    }

    /** Reads a small body to its end (the connection is reused) or drops the connection. */
    static void release(ClassicHttpResponse response, ExecRuntime runtime) {
        readBounded(response, runtime);
    }

    /**
     * Keeps a copy of the response, with its body read into memory (bounded), and releases the
     * original: for the 403 that explains a refusal, returned if no other key serves the request.
     *
     * @return the copy, or {@code null} when the body is too large to keep whole
     */
    static ClassicHttpResponse detach(ClassicHttpResponse response, ExecRuntime runtime) {
        byte[] body = readBounded(response, runtime);
        if (body.length > DRAIN_LIMIT) {
            // Only part of it was read: relaying that part would make a cut answer look complete.
            return null;
        }
        BasicClassicHttpResponse copy = new BasicClassicHttpResponse(response.getCode(), response.getReasonPhrase());
        copy.setVersion(response.getVersion());
        copy.setHeaders(response.getHeaders());
        HttpEntity entity = response.getEntity();
        if (entity != null) {
            ContentType type = entity.getContentType() == null ? null : ContentType.parseLenient(entity.getContentType());
            copy.setEntity(new ByteArrayEntity(body, type, entity.getContentEncoding(), false));
            copy.removeHeaders("Content-Length");
            copy.removeHeaders("Transfer-Encoding");
        }
        return copy;
    }

    /** {@code null} for an answer of another client, whose own close() lets its connection go. */
    private static void discard(ExecRuntime runtime) {
        if (runtime != null) {
            runtime.discardEndpoint();
        }
    }

    private static byte[] readBounded(ClassicHttpResponse response, ExecRuntime runtime) {
        HttpEntity entity = response.getEntity();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete = entity == null;
        if (entity != null) {
            try (InputStream in = entity.getContent()) {
                byte[] buffer = new byte[8192];
                int n;
                while (body.size() <= DRAIN_LIMIT && (n = in.read(buffer)) >= 0) {
                    body.write(buffer, 0, n);
                }
                complete = body.size() <= DRAIN_LIMIT;
                if (!complete) {
                    // Drop the connection before close() would drain an endless body.
                    discard(runtime);
                }
            } catch (IOException e) {
                discard(runtime);
            }
        }
        try {
            response.close();
        } catch (IOException e) {
            discard(runtime);
        }
        return body.toByteArray();
    }
}
