package dev.keyfailover.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * The client's body as the chain's entity, read once (by {@code ReplayableBodyExec}), with its
 * {@code Content-Type} passed on as the client wrote it: not parsed into a {@code ContentType} and
 * formatted back, which cost a tokenizer and a string per request and could respell the header.
 */
final class ClientBodyEntity extends AbstractHttpEntity {

    private final InputStream body;
    private final long length;

    /** @param length the declared length, or -1 when unknown */
    ClientBodyEntity(InputStream body, long length, String contentType) {
        super(contentType, null, false);
        this.body = body;
        this.length = length;
    }

    @Override
    public InputStream getContent() {
        return body;
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public boolean isStreaming() {
        return true;
    }

    /** The container's stream ends where the client's body does (its Content-Length or last chunk). */
    @Override
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = body) {
            in.transferTo(out);
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
