package dev.keyfailover.chain;

import org.apache.hc.core5.http.ContentLengthStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HeaderElements;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpMessage;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;

/**
 * How a message on an upstream connection is framed: HttpCore's {@link DefaultContentLengthStrategy},
 * read in one pass over the headers (issue 22: one request's hot path, twice per exchange, for the
 * request sent and the answer received; HttpCore's takes three scans). A single
 * {@code Transfer-Encoding: chunked}, no transfer coding and at most one valid {@code Content-Length}
 * are read here; anything else (other codings, several headers, a bad length) goes to HttpCore, so
 * its answers and its errors stay the same.
 */
final class ProxyContentLength implements ContentLengthStrategy {

    static final ProxyContentLength INSTANCE = new ProxyContentLength();

    private static final ContentLengthStrategy HTTPCORE = DefaultContentLengthStrategy.INSTANCE;

    private ProxyContentLength() {
    }

    @Override
    public long determineLength(HttpMessage message) throws HttpException {
        Header transferEncoding = null;
        int transferEncodings = 0;
        Header contentLength = null;
        int contentLengths = 0;
        for (Header header : message.getHeaders()) {
            String name = header.getName();
            if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                contentLength = header;
                contentLengths++;
            } else if (name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING)) {
                transferEncoding = header;
                transferEncodings++;
            }
        }
        if (transferEncodings == 1 && HeaderElements.CHUNKED_ENCODING.equalsIgnoreCase(transferEncoding.getValue())) {
            return CHUNKED;
        }
        if (transferEncodings > 0 || contentLengths > 1) {
            return HTTPCORE.determineLength(message);
        }
        if (contentLength == null) {
            return UNDEFINED;
        }
        long length = parse(contentLength.getValue());
        return length >= 0 ? length : HTTPCORE.determineLength(message);
    }

    /** The length, or -1 where HttpCore would refuse it (it says why). */
    private static long parse(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
