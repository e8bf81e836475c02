package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.hc.client5.http.impl.DefaultClientConnectionReuseStrategy;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.junit.jupiter.api.Test;

/** {@link ProxyReuseStrategy} keeps or drops an upstream connection exactly where HttpClient's strategy does (issue 22). */
class ProxyReuseStrategyTest {

    private static final String[] METHODS = {"GET", "HEAD", "POST", "CONNECT"};
    /** Request headers as name, value pairs: none, keep-alive, close in its forms, a list, a conflicting framing. */
    private static final String[][] REQUEST_HEADERS = {
        {},
        {"Connection", "keep-alive"},
        {"connection", "Keep-Alive", "Content-Length", "3"},
        {"Connection", "close"},
        {"Connection", "CLOSE"},
        {"Connection", "keep-alive, close"},
        {"Connection", "keep-alive", "Connection", "close"},
        {"Connection", ""},
        {"Content-Length", "3", "Transfer-Encoding", "chunked", "Connection", "keep-alive"},
    };
    private static final int[] CODES = {200, 204, 304, 101, 404};
    private static final ProtocolVersion[] VERSIONS = {HttpVersion.HTTP_1_1, HttpVersion.HTTP_1_0};
    /** Response headers as name, value pairs: framings and what they say of the connection. */
    private static final String[][] RESPONSE_HEADERS = {
        {},
        {"Content-Length", "5"},
        {"Content-Length", "0"},
        {"Content-Length", "5", "Content-Length", "5"},
        {"content-length", "junk"},
        {"Transfer-Encoding", "chunked"},
        {"Transfer-Encoding", "chunked", "Content-Length", "5"},
        {"Content-Length", "5", "Connection", "close"},
        {"Content-Length", "5", "Connection", "Keep-Alive"},
        {"Content-Length", "5", "Connection", "keep-alive", "Connection", "close"},
        {"Content-Length", "5", "Connection", "upgrade, close"},
        {"Content-Length", "5", "Connection", "keep-alive, upgrade"},
        {"Content-Length", "5", "Connection", ""},
        {"Content-Length", "5", "Proxy-Connection", "close"},
        {"Content-Length", "5", "Proxy-Connection", "keep-alive"},
        {"Content-Length", "5", "Proxy-Connection", "close", "Connection", "keep-alive"},
        {"Transfer-Encoding", "chunked", "Connection", "keep-alive"},
    };

    @Test
    void everyRequestAndAnswerKeepsOrDropsTheConnectionAsHttpClientDecides() {
        List<String> differing = new ArrayList<>();
        int cases = 0;
        for (String method : METHODS) {
            for (String[] requestHeaders : REQUEST_HEADERS) {
                for (int code : CODES) {
                    for (ProtocolVersion version : VERSIONS) {
                        for (String[] responseHeaders : RESPONSE_HEADERS) {
                            BasicClassicHttpRequest request = new BasicClassicHttpRequest(method, "/v1/x");
                            add(request, requestHeaders);
                            BasicHttpResponse response = new BasicHttpResponse(code);
                            response.setVersion(version);
                            add(response, responseHeaders);
                            boolean expected = DefaultClientConnectionReuseStrategy.INSTANCE.keepAlive(request, response,
                                    HttpCoreContext.create());
                            boolean actual = ProxyReuseStrategy.INSTANCE.keepAlive(request, response, HttpCoreContext.create());
                            cases++;
                            if (expected != actual) {
                                differing.add(method + " " + String.join(",", requestHeaders) + " -> " + code + " "
                                        + version + " " + String.join(",", responseHeaders) + ": expected " + expected);
                            }
                        }
                    }
                }
            }
        }
        assertThat(differing).as("of %d cases", cases).isEmpty();
    }

    @Test
    void theCommonAnswersAreDecidedBothWays() {
        // The matrix above is only worth something if it has both verdicts on the common path.
        BasicClassicHttpRequest request = new BasicClassicHttpRequest("POST", "/v1/x");
        request.addHeader("Connection", "keep-alive");
        BasicHttpResponse kept = new BasicHttpResponse(200);
        kept.addHeader("Content-Length", "5");
        BasicHttpResponse closed = new BasicHttpResponse(200);
        closed.addHeader("Content-Length", "5");
        closed.addHeader("Connection", "close");
        assertThat(ProxyReuseStrategy.INSTANCE.keepAlive(request, kept, HttpCoreContext.create())).isTrue();
        assertThat(ProxyReuseStrategy.INSTANCE.keepAlive(request, closed, HttpCoreContext.create())).isFalse();
    }

    private static void add(org.apache.hc.core5.http.HttpMessage message, String[] headers) {
        for (int i = 0; i < headers.length; i += 2) {
            message.addHeader(headers[i], headers[i + 1]);
        }
    }
}
