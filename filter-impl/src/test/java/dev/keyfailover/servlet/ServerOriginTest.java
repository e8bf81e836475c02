package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

/** The origin a same-server base URL ({@code /path}) is resolved against, kept between requests. */
class ServerOriginTest {

    private final ServerOrigin origin = new ServerOrigin();

    private static HttpServletRequest request(String scheme, String address, int port, String contextPath) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getScheme()).thenReturn(scheme);
        when(request.getLocalAddr()).thenReturn(address);
        when(request.getLocalPort()).thenReturn(port);
        when(request.getContextPath()).thenReturn(contextPath);
        return request;
    }

    @Test
    void eachRequestGetsTheOriginOfItsOwnConnectionAndContextEvenWhenTheyAlternate() {
        HttpServletRequest plain = request("http", "127.0.0.1", 8080, "/app");

        assertThat(origin.of(plain)).isEqualTo("http://127.0.0.1:8080/app");
        assertThat(origin.of(plain)).isSameAs(origin.of(plain));
        assertThat(origin.of(request("https", "127.0.0.1", 8080, "/app"))).isEqualTo("https://127.0.0.1:8080/app");
        assertThat(origin.of(request("http", "::1", 8080, "/app"))).isEqualTo("http://[::1]:8080/app");
        assertThat(origin.of(request("http", "::1", 8443, "/app"))).isEqualTo("http://[::1]:8443/app");
        assertThat(origin.of(request("http", "::1", 8443, ""))).isEqualTo("http://[::1]:8443");
        assertThat(origin.of(plain)).isEqualTo("http://127.0.0.1:8080/app");
    }
}
