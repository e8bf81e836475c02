package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.hc.core5.http.ContentLengthStrategy;
import org.apache.hc.core5.http.HttpMessage;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

/** {@link ProxyContentLength} frames every message as HttpCore's strategy does, and refuses what it refuses, with its words (issue 22). */
class ProxyContentLengthTest {

    /** Transfer-Encoding headers: none, chunked in its forms, other codings, two headers. */
    private static final String[][] CODINGS = {
        {}, {"chunked"}, {"Chunked"}, {"gzip, chunked"}, {"chunked, chunked"}, {"identity"}, {""}, {"chunked", "chunked"},
        {"gzip", "chunked"},
    };
    /** Content-Length headers: none, valid, negative, not a number, empty, two equal, two different. */
    private static final String[][] LENGTHS = {
        {}, {"5"}, {"0"}, {"-1"}, {"abc"}, {""}, {"5", "5"}, {"5", "6"}, {"99999999999999999999"},
    };

    @Test
    void everyFramingIsReadAsHttpCoreReadsIt() {
        List<String> differing = new ArrayList<>();
        for (String[] codings : CODINGS) {
            for (String[] lengths : LENGTHS) {
                String expected = framing(DefaultContentLengthStrategy.INSTANCE, message(codings, lengths));
                String actual = framing(ProxyContentLength.INSTANCE, message(codings, lengths));
                if (!expected.equals(actual)) {
                    differing.add(String.join("|", codings) + " / " + String.join("|", lengths) + ": expected " + expected
                            + ", was " + actual);
                }
            }
        }
        assertThat(differing).isEmpty();
    }

    @Test
    void theCommonFramingsAreReadWithoutHttpCore() throws Exception {
        assertThat(ProxyContentLength.INSTANCE.determineLength(message(new String[] {"chunked"}, new String[0])))
                .isEqualTo(ContentLengthStrategy.CHUNKED);
        assertThat(ProxyContentLength.INSTANCE.determineLength(message(new String[0], new String[] {"1024"})))
                .isEqualTo(1024);
        assertThat(ProxyContentLength.INSTANCE.determineLength(message(new String[0], new String[0])))
                .isEqualTo(ContentLengthStrategy.UNDEFINED);
    }

    private static HttpMessage message(String[] codings, String[] lengths) {
        BasicHttpResponse message = new BasicHttpResponse(200);
        message.addHeader("Content-Type", "application/json");
        for (String coding : codings) {
            message.addHeader("Transfer-Encoding", coding);
        }
        for (String length : lengths) {
            message.addHeader("content-length", length);
        }
        return message;
    }

    /** The length, or the refusal's class and message. */
    private static String framing(ContentLengthStrategy strategy, HttpMessage message) {
        try {
            return Long.toString(strategy.determineLength(message));
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
