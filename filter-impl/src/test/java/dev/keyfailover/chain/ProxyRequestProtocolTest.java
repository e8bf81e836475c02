package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;
import org.junit.jupiter.api.Test;

/**
 * Which requests {@link ProxyRequestProtocol} prepares in its one pass and which it leaves to
 * HttpClient's interceptors: the requests a proxy sends every time take the one pass (else the
 * cut of issue 22 would be lost without a test noticing, the bytes being the same either way,
 * {@link ProxyTransportTest}).
 */
class ProxyRequestProtocolTest {

    private static final HttpHost TARGET = new HttpHost("http", "127.0.0.1", 8080);

    @Test
    void theRequestsAProxySendsTakeTheOnePass() {
        assertThat(common(request("POST"), true)).isTrue();
        assertThat(common(request("GET"), false)).isTrue();
        assertThat(common(request("OPTIONS"), true)).isTrue();
        BasicClassicHttpRequest withHeaders = request("POST");
        withHeaders.addHeader("Content-Type", "application/json");
        withHeaders.addHeader("Authorization", "Bearer sk-test");
        withHeaders.addHeader("Connection", "close");
        assertThat(common(withHeaders, true)).isTrue();
    }

    @Test
    void uncommonRequestsAreLeftToHttpClient() {
        assertThat(common(request("TRACE"), false)).isFalse();
        for (String header : new String[] {"Host", "content-length", "Transfer-Encoding", "Trailer", "Upgrade"}) {
            BasicClassicHttpRequest request = request("POST");
            request.addHeader(header, "1");
            assertThat(common(request, true)).as(header).isFalse();
        }
        BasicClassicHttpRequest http10 = request("GET");
        http10.setVersion(HttpVersion.HTTP_1_0);
        assertThat(common(http10, false)).isFalse();
        BasicClassicHttpRequest withUser = request("GET");
        withUser.setAuthority(new URIAuthority("user", "127.0.0.1", 8080));
        assertThat(common(withUser, false)).isFalse();
        BasicClassicHttpRequest request = request("GET");
        assertThat(ProxyRequestProtocol.common(request, null, HttpClientContext.create(),
                ProxyRequestProtocol.present(request))).as("no route").isFalse();
    }

    private static BasicClassicHttpRequest request(String method) {
        return new BasicClassicHttpRequest(method, "http", new URIAuthority(TARGET), "/v1/responses");
    }

    private static boolean common(BasicClassicHttpRequest request, boolean withBody) {
        HttpClientContext context = HttpClientContext.create();
        context.setRoute(new HttpRoute(TARGET));
        ByteArrayEntity entity = withBody ? new ByteArrayEntity(new byte[] {'{', '}'}, ContentType.APPLICATION_JSON) : null;
        return ProxyRequestProtocol.common(request, entity, context, ProxyRequestProtocol.present(request));
    }
}
