package dev.keyfailover.servlet;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The client's body, with read failures marked as the client's, not upstream's. */
final class ClientBodyStream extends FilterInputStream {

    ClientBodyStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (ClientAbortedException e) {
            throw e;
        } catch (IOException e) {
            throw new ClientAbortedException(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (ClientAbortedException e) {
            throw e;
        } catch (IOException e) {
            throw new ClientAbortedException(e);
        }
    }
}
