package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.Test;

/** {@link RequestCopy} copies an attempt's request as HttpCore's builder does, and the key put on it stays on it. */
class RequestCopyTest {

    @Test
    void theCopyIsTheBuildersCopy() {
        HttpUriRequestBase request = new HttpUriRequestBase("POST", URI.create("http://127.0.0.1:8080/v1/responses?x=%2F"));
        request.addHeader("Authorization", "Bearer client");
        request.addHeader("X-Twice", "1");
        request.addHeader("x-twice", "2");
        request.setVersion(HttpVersion.HTTP_1_1);
        request.setEntity(new ByteArrayEntity(new byte[] {'{', '}'}, ContentType.APPLICATION_JSON));

        ClassicHttpRequest ours = RequestCopy.of(request);
        ClassicHttpRequest builders = ClassicRequestBuilder.copy(request).build();

        assertThat(ours.toString()).isEqualTo(builders.toString());
        assertThat(ours.getRequestUri()).isEqualTo(builders.getRequestUri()).isEqualTo("/v1/responses?x=%2F");
        assertThat(ours.getAuthority()).isEqualTo(builders.getAuthority());
        assertThat(ours.getScheme()).isEqualTo(builders.getScheme());
        assertThat(ours.getVersion()).isEqualTo(builders.getVersion());
        assertThat(ours.getEntity()).isSameAs(builders.getEntity()).isSameAs(request.getEntity());
        assertThat(names(ours)).isEqualTo(names(builders)).isEqualTo("Authorization: Bearer client|X-Twice: 1|x-twice: 2|");
    }

    @Test
    void aKeyOnTheCopyNeverReachesTheOriginal() {
        HttpUriRequestBase request = new HttpUriRequestBase("GET", URI.create("http://127.0.0.1:8080"));
        request.addHeader("Accept", "*/*");

        ClassicHttpRequest copy = RequestCopy.of(request);
        copy.setHeader("Authorization", "Bearer sk-pool");

        assertThat(request.containsHeader("Authorization")).isFalse();
        assertThat(copy.getPath()).isEqualTo(ClassicRequestBuilder.copy(request).build().getPath()).isEqualTo("/");
    }

    @Test
    void aTraceWithABodyIsRefusedAsTheBuilderRefusesIt() {
        HttpUriRequestBase trace = new HttpUriRequestBase("TRACE", URI.create("http://127.0.0.1:8080/"));
        trace.setEntity(new ByteArrayEntity(new byte[] {1}, ContentType.APPLICATION_OCTET_STREAM));

        Throwable ours = catchThrowable(() -> RequestCopy.of(trace));
        Throwable builders = catchThrowable(() -> ClassicRequestBuilder.copy(trace).build());

        assertThat(ours).isNotNull().hasSameClassAs(builders).hasMessage(builders.getMessage());
    }

    private static String names(ClassicHttpRequest request) {
        StringBuilder all = new StringBuilder();
        for (Header header : request.getHeaders()) {
            all.append(header.getName()).append(": ").append(header.getValue()).append('|');
        }
        return all.toString();
    }
}
