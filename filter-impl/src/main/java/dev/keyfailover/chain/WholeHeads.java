package dev.keyfailover.chain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.apache.hc.core5.http.io.HttpMessageParserFactory;
import org.apache.hc.core5.http.io.SessionInputBuffer;

/**
 * Answer heads read only when whole (behaviour.md §3, §8). HttpCore takes the end of the stream
 * inside a head for the head's end: a status line and a header, then a close, became an answer
 * with an empty body that looked complete. A head that the stream's end cut is no answer: an
 * answer that ended before its head ({@link NoHttpResponseException}, retried as transient, §18).
 */
final class WholeHeads implements HttpMessageParserFactory<ClassicHttpResponse> {

    static final WholeHeads INSTANCE = new WholeHeads();

    private WholeHeads() {
    }

    @Override
    public HttpMessageParser<ClassicHttpResponse> create(Http1Config http1Config) {
        return new Parser(http1Config);
    }

    private static final class Parser extends DefaultHttpResponseParser {

        Parser(Http1Config http1Config) {
            super(http1Config);
        }

        @Override
        public ClassicHttpResponse parse(SessionInputBuffer buffer, InputStream inputStream)
                throws IOException, HttpException {
            EndWatch watched = new EndWatch(inputStream);
            ClassicHttpResponse head = super.parse(buffer, watched);
            // The buffer is read from the stream only while the head's blank line has not come: an end met
            // meanwhile cut the head. (No head at all is HttpCore's null, which HttpClient reports itself.)
            if (head != null && watched.ended) {
                throw new NoHttpResponseException("upstream closed the connection inside the answer's head");
            }
            return head;
        }
    }

    /** Notes whether a read met the stream's end. */
    private static final class EndWatch extends FilterInputStream {
        private boolean ended;

        EndWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            ended |= n < 0;
            return n;
        }
    }
}
