package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.routing.RoutingSupport;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.HttpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The route's base URL parsed once: each request goes where the whole URI of base URL, path rest
 * and query sent it, refusals say why without the URI, and the request stays cancellable.
 */
class UpstreamTargetTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "https://api.example.com|/v1/chat/completions|NULL",
        "https://api.example.com||NULL",
        "https://api.example.com||a=1",
        "HTTPS://Api.Example.COM:443/v1|/models|key=k&x=%20",
        "http://127.0.0.1:8080/base|/a;b=c/%7E|q=[1]#f",
        "http://[::1]:9/x|/y|NULL",
        "https://h.example:|/y|NULL",
        "https://xn--bcher-kva.example/v1beta/openai|/chat/completions|NULL"})
    void eachRequestGoesToTheSchemeAuthorityAndPathTheWholeUriGave(String base, String rest, String query)
            throws HttpException {
        String rawRest = rest == null ? "" : rest;
        String tail = query == null ? rawRest : rawRest + "?" + query;
        UpstreamRequest sent = UpstreamTarget.of(base).request("POST", UpstreamTargetTest::unused, tail);
        HttpUriRequestBase today = new HttpUriRequestBase("POST", URI.create(base + tail));
        assertThat(sent.getScheme()).isEqualTo(today.getScheme());
        assertThat(sent.getAuthority()).isEqualTo(today.getAuthority());
        assertThat(sent.getPath()).isEqualTo(today.getPath());
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.target()).isEqualTo(RoutingSupport.determineHost(today));
    }

    @Test
    void aSameServerBaseUrlIsResolvedAgainstThisServersOriginPerRequest() {
        UpstreamTarget target = UpstreamTarget.of("/mock");
        UpstreamRequest first = target.request("GET", () -> "http://127.0.0.1:8080/ctx", "/v1/models?a=1");
        UpstreamRequest second = target.request("GET", () -> "https://[::1]:8443", "/v1/models");

        assertThat(first.getScheme() + "://" + first.getAuthority() + first.getPath())
                .isEqualTo("http://127.0.0.1:8080/ctx/mock/v1/models?a=1");
        assertThat(second.getScheme() + "://" + second.getAuthority() + second.getPath())
                .isEqualTo("https://[::1]:8443/mock/v1/models");
        assertThat(first.target()).as("the client derives the host of each").isNull();
    }

    @Test
    void aRefusalSaysWhyAndWhereButNeverEchoesTheQueryItMayCarryAKeyIn() {
        assertThatThrownBy(() -> UpstreamTarget.of("https://api.example.com/v1")
                .request("POST", UpstreamTargetTest::unused, "/chat?key=AIzaSyBOGUS-secret-key0123456789&a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Illegal character in query at index 44 of the path after the route's prefix")
                .message().doesNotContain("AIza").doesNotContain("api.example.com");
        assertThatThrownBy(() -> UpstreamTarget.of("/mock")
                .request("GET", () -> "http://127.0.0.1:8080/ctx", "/v1/models?key=sk-secret%zz"))
                .hasMessage("Malformed escape pair at index 24 of the path after the route's prefix");
    }

    @Test
    void cancellingTheRequestCancelsTheExchangeTiedToItOnce() {
        UpstreamRequest request = UpstreamTarget.of("https://api.example.com")
                .request("POST", UpstreamTargetTest::unused, "/v1");
        AtomicInteger cancelled = new AtomicInteger();
        request.setDependency(counting(cancelled));

        assertThat(request.cancel()).isTrue();
        assertThat(request.cancel()).isFalse();
        assertThat(request.isCancelled()).isTrue();
        assertThat(cancelled).hasValue(1);
    }

    @Test
    void anExchangeTiedToAnAlreadyCancelledRequestIsCancelledAtOnce() {
        UpstreamRequest request = UpstreamTarget.of("/same-server").request("POST", () -> "http://127.0.0.1:1", "/v1");
        AtomicInteger cancelled = new AtomicInteger();
        request.cancel();

        request.setDependency(counting(cancelled));

        assertThat(cancelled).hasValue(1);
    }

    /** An absolute base URL never asks for this server's origin (one request's hot path). */
    private static String unused() {
        throw new AssertionError("the origin was asked for an absolute base URL");
    }

    private static Cancellable counting(AtomicInteger cancelled) {
        return () -> {
            cancelled.incrementAndGet();
            return true;
        };
    }
}
